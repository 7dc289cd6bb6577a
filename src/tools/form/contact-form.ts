/**
 * contactForm(): untrusted form fields → a safe message. Recipients and From
 * are fixed by the site; the visitor is only ever Reply-To; every field error
 * is a typed answer the backend can show, never an exception.
 */
import { z } from 'zod';
import type { ComposedMessage, MessageInput } from '../../compose/index.js';
import {
  compose,
  type Options,
  type Policy,
  parseOptions,
  resolvePolicy,
  resolveReversePath,
} from '../../compose/index.js';
import { mapNodemailerError, TransportError } from '../../send/index.js';
import type { AddressInput, Mailbox } from '../../wire/index.js';
import { MailHygieneError, ownData, parseMailbox } from '../../wire/index.js';
import { formatContactBody } from './body.js';
import {
  bodyTextSchema,
  contactEmailSchema,
  contactMessageSchema,
  contactNameSchema,
  contactSubjectSchema,
  DEFAULT_MAX_LENGTH,
  MAX_SUBJECT,
} from './fields.js';
import { isForbiddenFormField } from './forbidden.js';
import { composeErrorToError, firstPerField, issueToError } from './issues.js';
import { checkSingleLine } from './text-checks.js';
import type {
  ContactData,
  ContactForm,
  ContactFormConfig,
  ContactFormError,
  ContactFormResult,
} from './types.js';

const DEFAULT_FIELDS = ['name', 'email', 'subject', 'message'];
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
/** Larger bodies belong in an attachment upload, not a form text box. */
const MAX_MAX_LENGTH = 1_000_000;

/** The subject label of a form that sets none. */
const DEFAULT_SUBJECT = 'Contact form';

/** `Label: visitor subject`, or the label alone when the visitor gave none. */
function subjectLine(label: string, visitorSubject: string | undefined): string {
  return visitorSubject === undefined ? label : `${label}: ${visitorSubject}`;
}

function configError(field: string, message: string): MailHygieneError {
  return new MailHygieneError('INVALID_OPTIONS', `contactForm: ${message}`, { field });
}

function checkFieldName(name: unknown, what: string, taken: ReadonlySet<string>): string {
  if (typeof name !== 'string' || !FIELD_NAME.test(name)) {
    throw configError(what, `${what} ${JSON.stringify(name)} must match ${FIELD_NAME}`);
  }
  if (taken.has(name) || isForbiddenFormField(name)) {
    throw configError(what, `${what} "${name}" collides with a default or forbidden field`);
  }
  return name;
}

/**
 * An extra field's schema must be a zod 4 schema: it is combined into our
 * zod 4 object. A zod 3 schema (an app on zod 3, or `zod/v3`) has `_def` but
 * no `_zod`; zod 4 cannot run it, and every submission would fail as "not
 * readable". Refused here, at startup, with the import that works.
 */
function checkFieldSchema(schema: unknown, field: string): void {
  const s = schema as { safeParse?: unknown; _zod?: unknown; _def?: unknown } | null | undefined;
  if (typeof s?.safeParse !== 'function') throw configError(field, `${field} must be a zod schema`);
  if (typeof s._zod !== 'object' || s._zod === null) {
    const v3 = typeof s._def === 'object' && s._def !== null;
    throw configError(
      field,
      v3
        ? `${field} is a zod 3 schema; contactForm needs zod 4 schemas: install zod 4 and import { z } from 'zod' (or 'zod/v4'), not 'zod/v3'`
        : `${field} is not a zod 4 schema (no _zod); contactForm needs zod 4 schemas`,
    );
  }
}

interface Checked {
  options: Options;
  policy: Policy;
  maxLength: number;
  honeypot: string | undefined;
  extraKeys: string[];
}

/** Everything the site configured is checked once, here: a bad config fails at startup. */
function checkConfig(config: ContactFormConfig<unknown>): Checked {
  if (config === null || typeof config !== 'object') {
    throw configError('config', 'config must be an object');
  }
  const options = parseOptions(config.options);
  const policy = resolvePolicy(options);
  const parse = (a: AddressInput, field: string): Mailbox =>
    parseMailbox(a, field, { smtputf8: policy.smtputf8 });
  const from = parse(config.from, 'from');
  const to = Array.isArray(config.to)
    ? config.to.map((a, i) => parse(a, `to[${i}]`))
    : config.to === undefined
      ? []
      : [parse(config.to, 'to')];
  if (to.length === 0) {
    throw new MailHygieneError('NO_RECIPIENTS', 'contactForm: `to` names no recipient', {
      field: 'to',
    });
  }
  if (to.length > policy.maxRecipients) {
    throw new MailHygieneError(
      'TOO_MANY_RECIPIENTS',
      `contactForm: ${to.length} recipients; the limit is ${policy.maxRecipients}`,
      { field: 'to' },
    );
  }
  // The bounce address: a form on www-data@web01 would lose every bounce.
  resolveReversePath(undefined, from, policy);

  const maxLength = config.maxLength ?? DEFAULT_MAX_LENGTH;
  if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > MAX_MAX_LENGTH) {
    throw configError('maxLength', `maxLength must be an integer from 1 to ${MAX_MAX_LENGTH}`);
  }
  const taken = new Set(DEFAULT_FIELDS);
  const honeypot =
    config.honeypot === undefined ? undefined : checkFieldName(config.honeypot, 'honeypot', taken);
  if (honeypot) taken.add(honeypot);
  const fields = config.fields ?? {};
  if (fields === null || typeof fields !== 'object') {
    throw configError('fields', 'fields must be an object of zod schemas');
  }
  const extraKeys = Object.keys(fields).map((k) => {
    checkFieldName(k, 'field', taken);
    checkFieldSchema(fields[k], `fields.${k}`);
    taken.add(k);
    return k;
  });

  if (typeof config.subject === 'string') {
    const p = checkSingleLine(config.subject, 'subject');
    if (p) throw new MailHygieneError('HEADER_INJECTION', p.message, { field: 'subject' });
    if (config.subject.length > MAX_SUBJECT) {
      throw configError('subject', `subject is longer than ${MAX_SUBJECT} characters`);
    }
  } else if (config.subject !== undefined && typeof config.subject !== 'function') {
    throw configError('subject', 'subject must be a string or a function');
  }
  if (config.mailer !== undefined && typeof config.mailer?.send !== 'function') {
    throw configError('mailer', 'mailer must have a send() method');
  }
  return { options, policy, maxLength, honeypot, extraKeys };
}

/** Builds the zod schema of visitor input: default fields, extra fields, honeypot. */
function buildSchema(config: ContactFormConfig<unknown>, checked: Checked): z.ZodType<ContactData> {
  const shape: Record<string, z.ZodType> = {
    name: contactNameSchema,
    email: contactEmailSchema,
    subject: contactSubjectSchema,
    message: contactMessageSchema(checked.maxLength),
  };
  for (const key of checked.extraKeys) {
    // Extra values go into the body: strings get the body's character check too.
    shape[key] = (config.fields![key] as z.ZodType).superRefine((v, ctx) => {
      if (typeof v !== 'string') return;
      const r = bodyTextSchema(key).safeParse(v);
      if (!r.success) for (const issue of r.error.issues) ctx.addIssue({ ...issue, path: [] });
    });
  }
  if (checked.honeypot) {
    shape[checked.honeypot] = z
      .unknown()
      .superRefine((v, ctx) => {
        if (!isEmptyHoneypot(v)) {
          ctx.addIssue({ code: 'custom', message: 'rejected as spam', params: { code: 'SPAM' } });
        }
      })
      .optional();
  }
  return z.object(shape) as unknown as z.ZodType<ContactData>;
}

function isEmptyHoneypot(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

function failed(errors: ContactFormError[], retryable?: boolean): ContactFormResult<never> {
  return retryable === undefined
    ? { ok: false, errors: firstPerField(errors) }
    : { ok: false, errors, retryable };
}

/** A send failure as a result: temporary (retry later, HTTP 503) or permanent. */
function sendFailure(e: unknown): ContactFormResult<never> {
  if (e instanceof MailHygieneError && !(e instanceof TransportError)) {
    // The mailer refused what compose() accepted: its own options differ (envelope, DKIM).
    return failed(
      [{ field: null, code: 'PERMANENT_FAILURE', message: `${e.code}: ${e.message}` }],
      false,
    );
  }
  const te = mapNodemailerError(e);
  return failed(
    [
      {
        field: null,
        code: te.temporary ? 'TEMPORARY_FAILURE' : 'PERMANENT_FAILURE',
        message: te.message,
      },
    ],
    te.temporary,
  );
}

/** Reads the visitor input; only plain objects get this far. */
function readInput(
  body: object,
  schema: z.ZodType<ContactData>,
  honeypot: string | undefined,
): { data: ContactData } | { errors: ContactFormError[] } {
  if (honeypot && Object.hasOwn(body, honeypot)) {
    const v = (body as Record<string, unknown>)[honeypot];
    // A bot learns nothing else: no field errors, just SPAM.
    if (!isEmptyHoneypot(v)) {
      return { errors: [{ field: honeypot, code: 'SPAM', message: 'rejected as spam' }] };
    }
  }
  const errors: ContactFormError[] = [];
  for (const key of Object.keys(body)) {
    if (isForbiddenFormField(key)) {
      errors.push({
        field: key,
        code: 'FORM_FIELD',
        message: `${key}: recipients, senders and headers are set by the site, never by the form`,
      });
    }
  }
  const r = schema.safeParse(body);
  if (!r.success) errors.push(...r.error.issues.map((i) => issueToError(i, body)));
  if (errors.length || !r.success) return { errors };
  // zod's output inherits from Object.prototype; a missing optional field must not read through.
  const data = ownData(r.data, '', 'INVALID_INPUT', 0) as ContactData;
  if (honeypot) delete data[honeypot];
  return { data };
}

/**
 * A contact-form backend: `handle(body)` checks the visitor's fields, composes
 * a message from the site's address to the site's recipients with the visitor
 * in Reply-To, and sends it when a mailer is configured.
 *
 * Forbidden fields (`to`, `cc`, `bcc`, `from`, `headers`, `replyTo`, `recipient`,
 * … see {@link FORBIDDEN_FORM_FIELDS}) are answered with `FORM_FIELD`; other
 * unknown fields are ignored.
 *
 * @example
 * ```ts
 * const form = contactForm({
 *   to: 'Support <support@example.com>',
 *   from: 'Website <noreply@example.com>',
 *   fields: { company: z.string().max(100).optional() },
 *   honeypot: 'website',
 *   mailer: createMailer({ transport: smtpTransport({ host: 'smtp.example.com', port: 587 }) }),
 * })
 * const result = await form.handle(await request.json())
 * if (result.ok) return Response.json({ ok: true })
 * if (result.retryable === undefined) return Response.json({ errors: result.errors }, { status: 400 })
 * // A failed send: log result.errors, answer with a generic text, never the relay's reply.
 * return Response.json({ errors: [{ field: null, code: result.errors[0]!.code, message: 'please try later' }] },
 *   { status: result.retryable ? 503 : 500 })
 * ```
 * @throws MailHygieneError at creation when the configuration is invalid (bad `to`/`from`, options, field names).
 */
export function contactForm<S = unknown>(site: ContactFormConfig<S>): ContactForm<S> {
  // Own data properties only (see ../own.ts): records two levels deep (`to[0].address`).
  const config = ownData(site, '', 'INVALID_OPTIONS', 2) as ContactFormConfig<S>;
  const checked = checkConfig(config as ContactFormConfig<unknown>);
  const schema = buildSchema(config as ContactFormConfig<unknown>, checked);

  async function handle(body: unknown): Promise<ContactFormResult<S>> {
    if (
      body === null ||
      typeof body !== 'object' ||
      Array.isArray(body) ||
      ArrayBuffer.isView(body)
    ) {
      return failed([
        {
          field: null,
          code: 'INVALID_TYPE',
          message: 'the form data must be an object of fields',
        },
      ]);
    }
    let read: ReturnType<typeof readInput>;
    try {
      // Own data only: an inherited `email` (Object.prototype pollution) is no Reply-To.
      read = readInput(ownData(body, '', 'INVALID_INPUT', 2) as object, schema, checked.honeypot);
    } catch {
      // Only exotic objects (throwing getters, proxies) get here; JSON and form bodies never do.
      return failed([
        { field: null, code: 'INVALID_TYPE', message: 'the form data is not readable' },
      ]);
    }
    if ('errors' in read) return failed(read.errors);
    const data = read.data;
    const subject =
      typeof config.subject === 'function'
        ? config.subject(data)
        : subjectLine(config.subject ?? DEFAULT_SUBJECT, data.subject);
    const input: MessageInput = {
      from: config.from,
      to: config.to,
      replyTo: { name: data.name, address: data.email },
      subject,
      text: formatContactBody(data, checked.extraKeys),
      // RFC 3834: a machine-generated notification; auto-responders must not answer it.
      autoSubmitted: 'auto-generated',
      date: checked.policy.now(),
    };
    const mailer = config.mailer;
    if (mailer?.compose && mailer.sendComposed) {
      return composeOnceAndSend(
        { compose: mailer.compose.bind(mailer), send: mailer.sendComposed.bind(mailer) },
        input,
        data,
      );
    }
    let message: ComposedMessage;
    try {
      message = await compose(input, checked.options);
    } catch (e) {
      if (e instanceof MailHygieneError) return failed([composeErrorToError(e)]);
      throw e;
    }
    if (!mailer) return { ok: true, data, message };
    let sent: S;
    try {
      // A mailer that only takes input composes again: same Message-ID and Date as `message`.
      sent = await mailer.send({ ...input, messageId: message.messageId });
    } catch (e) {
      return sendFailure(e);
    }
    return { ok: true, data, message, sent };
  }

  /**
   * Composed once, by the mailer (with its options: envelope, DKIM), and sent as it is:
   * `message` is exactly what went out.
   */
  async function composeOnceAndSend(
    mailer: {
      compose(input: MessageInput): Promise<ComposedMessage>;
      send(message: ComposedMessage): Promise<S>;
    },
    input: MessageInput,
    data: ContactData,
  ): Promise<ContactFormResult<S>> {
    let message: ComposedMessage;
    try {
      message = await mailer.compose(input);
    } catch (e) {
      if (e instanceof MailHygieneError) return failed([composeErrorToError(e)]);
      throw e;
    }
    let sent: S;
    try {
      sent = await mailer.send(message);
    } catch (e) {
      return sendFailure(e);
    }
    return { ok: true, data, message, sent };
  }

  return { schema, handle };
}
