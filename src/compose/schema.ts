/**
 * Zod schemas of the public input. They check shapes and types only; the
 * content of every field is checked by the parsers that turn it into typed
 * values (addresses, header values), which give the precise error codes.
 * Exported so apps can reuse them (e.g. to validate JSON before compose()).
 *
 * One shape, three spellings, held together by the compiler: the public
 * types (`MessageInput` in types.ts, `Options` in policy.ts) are the source,
 * written by hand so that dist/index.d.ts shows readable interfaces with a
 * doc comment per field and no zod types (zod is a peer dependency: an app
 * that only composes never needs its types). Derived `z.input` types would
 * print as anonymous zod-shaped objects without the docs. The schemas below
 * must accept exactly those types (`SchemasMatchTypes`, a compile error
 * otherwise). The fast path below takes its key sets from the schemas and
 * stays a hand-written chain of checks (V8 inlines it; a table of per-field
 * checks measured twice as slow); test/schema.test.ts proves that it checks
 * every field the schema has.
 */
import { Readable } from 'node:stream';
import { z } from 'zod';
import {
  type AddressInput,
  describeUnknownName,
  MailHygieneError,
  ownData,
} from '../wire/index.js';
import type { DkimOptions, Options } from './policy.js';
import type { AttachmentInput, ListUnsubscribeInput, MessageInput } from './types.js';

const str = z.string();
/** `Uint8Array` of any backing buffer (TypeScript's `Uint8Array` class type says `ArrayBuffer` only). */
const bytes = z.instanceof(Uint8Array as { new (): Uint8Array });
export const addressInputSchema = z.union([
  str,
  z.object({ name: str.optional(), address: str }).strict(),
]);
export const addressListSchema = z.union([addressInputSchema, z.array(addressInputSchema)]);

export const attachmentSchema = z
  .object({
    filename: str.optional(),
    content: z.union([str, bytes, z.instanceof(Readable)]),
    contentType: str.optional(),
    cid: str.optional(),
    disposition: z.enum(['attachment', 'inline']).optional(),
  })
  .strict();

const listUnsubscribeSchema = z
  .object({ url: str.optional(), mailto: str.optional(), oneClick: z.boolean().optional() })
  .strict();
const envelopeInputSchema = z
  .object({ from: str.optional(), to: z.array(str).optional() })
  .strict();

export const messageInputSchema = z
  .object({
    from: addressInputSchema,
    sender: addressInputSchema.optional(),
    to: addressListSchema.optional(),
    cc: addressListSchema.optional(),
    bcc: addressListSchema.optional(),
    replyTo: addressListSchema.optional(),
    subject: str,
    text: z.union([str, bytes]).optional(),
    html: z.union([str, bytes]).optional(),
    attachments: z.array(attachmentSchema).optional(),
    headers: z.union([z.record(str, str), z.array(z.tuple([str, str]))]).optional(),
    date: z.date().optional(),
    messageId: str.optional(),
    inReplyTo: str.optional(),
    references: z.array(str).optional(),
    listUnsubscribe: listUnsubscribeSchema.optional(),
    autoSubmitted: z.enum(['auto-generated', 'auto-replied']).optional(),
    envelope: envelopeInputSchema.optional(),
  })
  .strict();

const dkimSchema = z
  .object({
    domainName: str,
    keySelector: str,
    privateKey: z.union([
      str,
      z.custom<import('node:crypto').KeyObject>((v) => typeof v === 'object' && v !== null),
    ]),
    algorithm: z.enum(['rsa-sha256', 'ed25519-sha256']).optional(),
    headers: z.array(str).optional(),
    allowUnaligned: z.boolean().optional(),
  })
  .strict();

export const optionsSchema = z
  .object({
    envelopeFrom: str.optional(),
    messageIdDomain: str.optional(),
    smtputf8: z.boolean().optional(),
    maxRecipients: z.number().int().positive().optional(),
    textFromHtml: z.boolean().optional(),
    selfCheck: z.union([z.boolean(), z.literal('full')]).optional(),
    dkim: z.union([dkimSchema, z.array(dkimSchema)]).optional(),
    now: z.function().optional(),
  })
  .strict();

/** True when `A` and `B` accept the same values and name the same fields. */
type Exactly<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? [keyof A] extends [keyof B]
      ? [keyof B] extends [keyof A]
        ? true
        : false
      : false
    : false
  : false;
type Assert<T extends true> = T;
type In<S extends z.ZodType> = z.input<S>;
/**
 * Compile-time proof that each schema accepts exactly its public type, down
 * to the nested objects (an extra optional field would pass plain
 * assignability). The one allowed difference: `now` is typed `() => Date`,
 * which zod cannot check before the call (the schema accepts any function).
 */
// biome-ignore lint/correctness/noUnusedVariables: a compile-time assertion, read by the compiler only
type SchemasMatchTypes = [
  Assert<Exactly<In<typeof messageInputSchema>, MessageInput>>,
  Assert<Exactly<z.output<typeof messageInputSchema>, MessageInput>>,
  Assert<Exactly<In<typeof attachmentSchema>, AttachmentInput>>,
  Assert<Exactly<In<typeof listUnsubscribeSchema>, ListUnsubscribeInput>>,
  Assert<Exactly<In<typeof envelopeInputSchema>, NonNullable<MessageInput['envelope']>>>,
  Assert<Exactly<In<typeof addressInputSchema>, AddressInput>>,
  Assert<Exactly<In<typeof dkimSchema>, DkimOptions>>,
  Assert<Exactly<Omit<In<typeof optionsSchema>, 'now'>, Omit<Options, 'now'>>>,
  Assert<Exactly<keyof In<typeof optionsSchema>, keyof Options>>,
];

/** Field path of a zod issue as `attachments[0].content`. */
function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    '',
  );
}

/** The schema found by following `path` through objects, arrays, optionals and unions. */
function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType[] {
  let found: z.ZodType[] = [schema];
  for (const seg of [...path, null]) {
    const next: z.ZodType[] = [];
    const visit = (t: z.ZodType): void => {
      const def = (t as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
      if (def.type === 'optional') visit(def.innerType as z.ZodType);
      else if (def.type === 'union') for (const o of def.options as z.ZodType[]) visit(o);
      else if (seg === null) next.push(t);
      else if (typeof seg === 'number' && def.type === 'array') next.push(def.element as z.ZodType);
      else if (typeof seg === 'string' && def.type === 'object') {
        const child = (def.shape as Record<string, z.ZodType>)[seg];
        if (child) next.push(child);
      }
    };
    for (const t of found) visit(t);
    found = next;
  }
  return found;
}

/** The field names an object schema at `path` knows, for "did you mean". */
function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  return schemaAt(schema, path).flatMap((t) => {
    const def = (t as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
    return def.type === 'object' ? Object.keys(def.shape as object) : [];
  });
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const seg of path) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, seg)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

/** Parses with a schema; a mismatch is a typed error naming the field and saying what to give. */
function parseShape<T>(schema: z.ZodType<T>, value: unknown, what: 'input' | 'options'): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues;
  // A shape from another library (nodemailer's `path`, `{ name, email }`) explains the rest.
  const foreign = what === 'input' ? foreignShape(issues, value) : undefined;
  if (foreign) throw foreign;
  const issue = issues[0]!;
  const field = pathOf(issue.path) || what;
  const code =
    what === 'options'
      ? 'INVALID_OPTIONS'
      : field.startsWith('attachments')
        ? 'INVALID_ATTACHMENT'
        : field === 'text' || field === 'html'
          ? 'INVALID_BODY'
          : 'INVALID_INPUT';
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(schema, issue.path);
    const names = issue.keys.map((k) => describeUnknownName(k, known)).join(', ');
    const kind = what === 'options' ? 'option' : 'field';
    throw new MailHygieneError(
      code,
      `${field}: unknown ${kind}${issue.keys.length > 1 ? 's' : ''} ${names}`,
      { field: issue.path.length === 0 ? issue.keys[0]! : `${field}.${issue.keys[0]!}` },
    );
  }
  const expected = what === 'input' ? expectedShape(issue.path) : undefined;
  const msg = expected
    ? `expected ${expected}; got ${describeValue(valueAt(value, issue.path))}`
    : issue.message;
  throw new MailHygieneError(code, `${field}: ${msg}`, { field });
}

const ADDRESS_FIELDS = new Set(['from', 'sender', 'to', 'cc', 'bcc', 'replyTo']);
const LIST_FIELDS = new Set(['to', 'cc', 'bcc', 'replyTo']);
const ADDRESS_SHAPES = '"Name <name@example.org>", "name@example.org" or { name?, address }';
const CONTENT_SHAPES = 'a string, a Buffer/Uint8Array or a Readable';

/** What an input field accepts, in words, where zod's "Invalid input" says nothing. */
function expectedShape(path: readonly PropertyKey[]): string | undefined {
  const [head, i, key] = path;
  if (typeof head === 'string' && ADDRESS_FIELDS.has(head)) {
    return LIST_FIELDS.has(head) && i === undefined
      ? `${ADDRESS_SHAPES}, or an array of these`
      : ADDRESS_SHAPES;
  }
  if (head === 'attachments' && key === 'content') return CONTENT_SHAPES;
  return undefined;
}

/** `a number`, `an object with keys name, email`, … (never the value: it may be private). */
function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') {
    const keys = Object.keys(v).slice(0, 5);
    return keys.length ? `an object with keys ${keys.join(', ')}` : 'an empty object';
  }
  return typeof v === 'undefined' ? 'nothing' : `a ${typeof v}`;
}

/** Keys other mail libraries use for an attachment's source (nodemailer, emailjs). */
const SOURCE_KEYS = ['path', 'href', 'url'];

/**
 * The shapes users bring from other libraries, recognised and answered with
 * the fix: `{ name, email }` for an address, nodemailer's `{ path }` /
 * `{ href }` attachments (this library never reads files or fetches URLs).
 */
function foreignShape(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
): MailHygieneError | undefined {
  for (const issue of issues) {
    const [head, i] = issue.path;
    if (head === 'attachments' && typeof i === 'number') {
      const field = `attachments[${i}]`;
      const a = valueAt(input, ['attachments', i]);
      const content = valueAt(a, ['content']);
      const key =
        SOURCE_KEYS.find((k) => valueAt(a, [k]) !== undefined) ??
        SOURCE_KEYS.find((k) => valueAt(content, [k]) !== undefined);
      if (key) {
        const where =
          valueAt(a, [key]) !== undefined ? `${field}.${key}` : `${field}.content.${key}`;
        return new MailHygieneError(
          'INVALID_ATTACHMENT',
          `${where}: attachments are not read from a file or URL (nodemailer's \`${key}\`); read it yourself and give content: ${CONTENT_SHAPES} (e.g. fs.createReadStream(file))`,
          { field: where },
        );
      }
    }
    if (typeof head === 'string' && ADDRESS_FIELDS.has(head)) {
      const v = valueAt(input, [head]);
      const items = Array.isArray(v) ? v : [v];
      const at = items.findIndex((x) => valueAt(x, ['email']) !== undefined);
      if (at !== -1) {
        const field = Array.isArray(v) ? `${head}[${at}]` : head;
        return new MailHygieneError(
          'INVALID_INPUT',
          `${field}: an address object is { name?, address }: rename \`email\` to \`address\``,
          { field: `${field}.email` },
        );
      }
    }
  }
  return undefined;
}

/*
 * Fast shape checks for compose()'s hot path. Each returns true only for values
 * its zod schema certainly accepts (plain objects with known keys of the right
 * types); anything else, and every error, goes through zod, so the errors and
 * their fields stay zod's. For such values zod's result equals the input
 * (copied), so the input is used as it is. test/schema.test.ts holds every
 * `true` to zod's verdict on random shapes.
 */

const MESSAGE_KEYS = new Set(Object.keys(messageInputSchema.shape));
const OPTION_KEYS = new Set(Object.keys(optionsSchema.shape));
const ATTACHMENT_KEYS = new Set(Object.keys(attachmentSchema.shape));
const LIST_UNSUBSCRIBE_KEYS = new Set(Object.keys(listUnsubscribeSchema.shape));
const ENVELOPE_KEYS = new Set(Object.keys(envelopeInputSchema.shape));

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Every enumerable key (own and inherited, as zod's strict check sees them) is allowed. */
function onlyKeys(v: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  for (const k in v) if (!allowed.has(k)) return false;
  return true;
}

const isStr = (v: unknown) => typeof v === 'string';
const optStr = (v: unknown) => v === undefined || typeof v === 'string';
const optBool = (v: unknown) => v === undefined || typeof v === 'boolean';

function isAddressInput(v: unknown): boolean {
  if (typeof v === 'string') return true;
  if (!isPlainObject(v)) return false;
  for (const k in v) if (k !== 'name' && k !== 'address') return false;
  return optStr(v.name) && isStr(v.address);
}

function isOptAddressList(v: unknown): boolean {
  if (v === undefined || isAddressInput(v)) return true;
  if (!Array.isArray(v)) return false;
  for (const a of v) if (!isAddressInput(a)) return false;
  return true;
}

const isBody = (v: unknown) => v === undefined || typeof v === 'string' || v instanceof Uint8Array;

function isAttachment(v: unknown): boolean {
  if (!isPlainObject(v) || !onlyKeys(v, ATTACHMENT_KEYS)) return false;
  const c = v.content;
  return (
    (typeof c === 'string' || c instanceof Uint8Array || c instanceof Readable) &&
    optStr(v.filename) &&
    optStr(v.contentType) &&
    optStr(v.cid) &&
    (v.disposition === undefined || v.disposition === 'attachment' || v.disposition === 'inline')
  );
}

function isOptStringArray(v: unknown): boolean {
  if (v === undefined) return true;
  if (!Array.isArray(v)) return false;
  for (const s of v) if (typeof s !== 'string') return false;
  return true;
}

function isHeaders(v: unknown): boolean {
  if (v === undefined) return true;
  if (Array.isArray(v)) {
    for (const t of v)
      if (!Array.isArray(t) || t.length !== 2 || !isStr(t[0]) || !isStr(t[1])) return false;
    return true;
  }
  if (!isPlainObject(v)) return false;
  // Only string keys; "__proto__" would not survive zod's copy.
  for (const k of Reflect.ownKeys(v)) if (typeof k !== 'string' || k === '__proto__') return false;
  for (const k in v) if (!Object.hasOwn(v, k) || typeof v[k] !== 'string') return false;
  return true;
}

function isOptStrictObject(v: unknown, check: (o: Record<string, unknown>) => boolean): boolean {
  return v === undefined || (isPlainObject(v) && check(v));
}

/** True when `messageInputSchema` certainly accepts `v` unchanged. */
export function isPlainMessageInput(v: unknown): boolean {
  if (!isPlainObject(v) || !onlyKeys(v, MESSAGE_KEYS)) return false;
  const a = v.attachments;
  if (a !== undefined) {
    if (!Array.isArray(a)) return false;
    for (const x of a) if (!isAttachment(x)) return false;
  }
  const d = v.date;
  return (
    isAddressInput(v.from) &&
    (v.sender === undefined || isAddressInput(v.sender)) &&
    isOptAddressList(v.to) &&
    isOptAddressList(v.cc) &&
    isOptAddressList(v.bcc) &&
    isOptAddressList(v.replyTo) &&
    isStr(v.subject) &&
    isBody(v.text) &&
    isBody(v.html) &&
    isHeaders(v.headers) &&
    (d === undefined || (d instanceof Date && !Number.isNaN(d.getTime()))) &&
    optStr(v.messageId) &&
    optStr(v.inReplyTo) &&
    isOptStringArray(v.references) &&
    isOptStrictObject(
      v.listUnsubscribe,
      (l) =>
        onlyKeys(l, LIST_UNSUBSCRIBE_KEYS) &&
        optStr(l.url) &&
        optStr(l.mailto) &&
        optBool(l.oneClick),
    ) &&
    (v.autoSubmitted === undefined ||
      v.autoSubmitted === 'auto-generated' ||
      v.autoSubmitted === 'auto-replied') &&
    isOptStrictObject(
      v.envelope,
      (e) => onlyKeys(e, ENVELOPE_KEYS) && optStr(e.from) && isOptStringArray(e.to),
    )
  );
}

/**
 * True when `optionsSchema` certainly accepts `v` and its result reads the
 * same: known keys only, no `dkim` and no `now` (zod wraps functions).
 */
export function isPlainOptions(v: unknown): boolean {
  if (!isPlainObject(v) || !onlyKeys(v, OPTION_KEYS)) return false;
  const max = v.maxRecipients;
  return (
    v.dkim === undefined &&
    v.now === undefined &&
    optStr(v.envelopeFrom) &&
    optStr(v.messageIdDomain) &&
    optBool(v.smtputf8) &&
    (max === undefined || (Number.isSafeInteger(max) && (max as number) > 0)) &&
    optBool(v.textFromHtml) &&
    (optBool(v.selfCheck) || v.selfCheck === 'full')
  );
}

/** compose()'s input: checked by the fast shape check, else by zod (which gives the error). */
export function parseMessageInput(value: unknown): MessageInput {
  // Own data properties only, read once (see ./own.ts): the checks and the build see one copy.
  const input = ownData(value, '', 'INVALID_INPUT');
  if (isPlainMessageInput(input)) return input as MessageInput;
  // zod's output objects inherit from Object.prototype: copied again, own data only.
  return ownData(
    parseShape(messageInputSchema, input, 'input'),
    '',
    'INVALID_INPUT',
  ) as MessageInput;
}

/** compose()'s options, like {@link parseMessageInput}. */
export function parseOptions(options: unknown): Options {
  const o = ownData(options ?? {}, '', 'INVALID_OPTIONS');
  if (isPlainOptions(o)) return o as Options;
  return ownData(parseShape(optionsSchema, o, 'options'), '', 'INVALID_OPTIONS') as Options;
}
