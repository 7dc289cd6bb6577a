/**
 * Zod schemas of the public input. They check shapes and types only; the
 * content of every field is checked by the parsers that turn it into typed
 * values (addresses, header values), which give the precise error codes.
 * Exported so apps can reuse them (e.g. to validate JSON before compose()).
 */
import { Readable } from 'node:stream';
import { z } from 'zod';
import { MailHygieneError } from './errors.js';
import type { Options } from './policy.js';
import type { MessageInput } from './types.js';

const str = z.string();
export const addressInputSchema = z.union([
  str,
  z.object({ name: str.optional(), address: str }).strict(),
]);
export const addressListSchema = z.union([addressInputSchema, z.array(addressInputSchema)]);

export const attachmentSchema = z
  .object({
    filename: str.optional(),
    content: z.union([str, z.instanceof(Uint8Array), z.instanceof(Readable)]),
    contentType: str.optional(),
    cid: str.optional(),
    disposition: z.enum(['attachment', 'inline']).optional(),
  })
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
    text: z.union([str, z.instanceof(Uint8Array)]).optional(),
    html: z.union([str, z.instanceof(Uint8Array)]).optional(),
    attachments: z.array(attachmentSchema).optional(),
    headers: z.union([z.record(str, str), z.array(z.tuple([str, str]))]).optional(),
    date: z.date().optional(),
    messageId: str.optional(),
    inReplyTo: str.optional(),
    references: z.array(str).optional(),
    listUnsubscribe: z
      .object({ url: str.optional(), mailto: str.optional(), oneClick: z.boolean().optional() })
      .strict()
      .optional(),
    autoSubmitted: z.enum(['auto-generated', 'auto-replied']).optional(),
    envelope: z
      .object({ from: str.optional(), to: z.array(str).optional() })
      .strict()
      .optional(),
  })
  .strict();

const dkimSchema = z.object({
  domainName: str,
  keySelector: str,
  privateKey: z.union([
    str,
    z.custom<import('node:crypto').KeyObject>((v) => typeof v === 'object' && v !== null),
  ]),
  algorithm: z.enum(['rsa-sha256', 'ed25519-sha256']).optional(),
  headers: z.array(str).optional(),
  allowUnaligned: z.boolean().optional(),
});

export const optionsSchema = z.object({
  envelopeFrom: str.optional(),
  messageIdDomain: str.optional(),
  smtputf8: z.boolean().optional(),
  maxRecipients: z.number().int().positive().optional(),
  textFromHtml: z.boolean().optional(),
  selfCheck: z.boolean().optional(),
  dkim: z.union([dkimSchema, z.array(dkimSchema)]).optional(),
  now: z.function().optional(),
});

/** Field path of a zod issue as `attachments[0].content`. */
function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    '',
  );
}

/** Parses with a schema; a mismatch is a typed error naming the field. */
export function parseShape<T>(schema: z.ZodType<T>, value: unknown, what: 'input' | 'options'): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = pathOf(issue.path) || what;
  const code =
    what === 'options'
      ? 'INVALID_OPTIONS'
      : field.startsWith('attachments')
        ? 'INVALID_ATTACHMENT'
        : field === 'text' || field === 'html'
          ? 'INVALID_BODY'
          : 'INVALID_INPUT';
  const msg =
    issue.code === 'unrecognized_keys'
      ? `unknown field(s) ${issue.keys.join(', ')}`
      : issue.message;
  throw new MailHygieneError(code, `${field}: ${msg}`, {
    field: issue.code === 'unrecognized_keys' && field === what ? issue.keys[0] : field,
  });
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
const ATTACHMENT_KEYS = new Set(Object.keys(attachmentSchema.shape));
const LIST_UNSUBSCRIBE_KEYS = new Set(['url', 'mailto', 'oneClick']);
const ENVELOPE_KEYS = new Set(['from', 'to']);

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
 * same: no `dkim` and no `now` (zod wraps functions), unknown keys (zod drops
 * them) are fine because only known keys are ever read.
 */
export function isPlainOptions(v: unknown): boolean {
  if (!isPlainObject(v)) return false;
  const max = v.maxRecipients;
  return (
    v.dkim === undefined &&
    v.now === undefined &&
    optStr(v.envelopeFrom) &&
    optStr(v.messageIdDomain) &&
    optBool(v.smtputf8) &&
    (max === undefined || (Number.isSafeInteger(max) && (max as number) > 0)) &&
    optBool(v.textFromHtml) &&
    optBool(v.selfCheck)
  );
}

/** compose()'s input: checked by the fast shape check, else by zod (which gives the error). */
export function parseMessageInput(input: unknown): MessageInput {
  return isPlainMessageInput(input)
    ? (input as MessageInput)
    : (parseShape(messageInputSchema, input, 'input') as MessageInput);
}

/** compose()'s options, like {@link parseMessageInput}. */
export function parseOptions(options: unknown): Options {
  const o = options ?? {};
  return isPlainOptions(o) ? (o as Options) : (parseShape(optionsSchema, o, 'options') as Options);
}
