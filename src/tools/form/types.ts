/** Public types of the contact-form helper. */
import type { ZodType } from 'zod';
import type { ComposedMessage, MessageInput, Options } from '../../compose/index.js';
import type { AddressInput, AddressList, ErrorCode } from '../../wire/index.js';

/**
 * Stable codes of a field error. Besides the library's own {@link ErrorCode}s
 * (passed through from compose, e.g. `HTML_IN_SUBJECT`):
 * - `INVALID_INPUT`: the body is not an object (null, a string, an array, …)
 * - `REQUIRED`: missing or blank
 * - `INVALID_TYPE`: present but not the expected type
 * - `TOO_LONG`: over the field's limit
 * - `INVALID_CHARACTERS`: bidi overrides in a name or subject; NUL or other controls in text
 * - `INVALID_VALUE`: an extra field's own zod schema refused the value
 * - `FORM_FIELD`: a field a visitor must never set (`to`, `cc`, `bcc`, `from`, `headers`, …)
 * - `SPAM`: the honeypot field was filled
 * - `TEMPORARY_FAILURE` / `PERMANENT_FAILURE`: the mailer could not send (field `null`)
 */
export type ContactFormErrorCode =
  | ErrorCode
  | 'REQUIRED'
  | 'INVALID_TYPE'
  | 'TOO_LONG'
  | 'INVALID_CHARACTERS'
  | 'INVALID_VALUE'
  | 'SPAM'
  | 'TEMPORARY_FAILURE'
  | 'PERMANENT_FAILURE';

/** One problem, for the visitor: which field, a stable code, a readable message. */
export interface ContactFormError {
  /** The form field (`email`, `message`, `company`), or null for the request as a whole. */
  field: string | null;
  code: ContactFormErrorCode;
  message: string;
}

/** The visitor's input after checking. `email` is the normalised address (IDN in A-labels). */
export interface ContactData {
  name: string;
  email: string;
  subject?: string;
  message: string;
  /** Values of `config.fields`, as their schemas returned them. */
  [extra: string]: unknown;
}

/**
 * Anything with `send(MessageInput)`, e.g. `createMailer(...)`. A mailer that
 * also has `compose` and `sendComposed` (createMailer's) composes the message
 * once: `handle()` returns as `message` exactly what was sent.
 */
export interface ContactMailer<S = unknown> {
  send(input: MessageInput): Promise<S>;
  /** Composes with the mailer's own options, without sending. */
  compose?(input: MessageInput): Promise<ComposedMessage>;
  /** Sends a message `compose` returned, as it is. */
  sendComposed?(message: ComposedMessage): Promise<S>;
}

export interface ContactFormConfig<S = unknown> {
  /** Where form messages go. Fixed by the site, never by the visitor. */
  to: AddressList;
  /** The site's own address (DMARC-aligned). The visitor goes into Reply-To. */
  from: AddressInput;
  /**
   * A string is the site's label (default `Contact form`): the header is
   * `<label>: <visitor subject>`, or the label alone when the visitor gives none
   * (`subject: 'Contact form'` → `Contact form: Angebot`). A function gets the checked
   * data and returns the whole subject.
   */
  subject?: string | ((data: ContactData) => string);
  /** Extra fields and their zod schemas. Their values go into the text body, never into headers. */
  fields?: Record<string, ZodType>;
  /** Limit of the message body in characters. Default 20,000. */
  maxLength?: number;
  /** Name of a hidden field that humans leave empty. A filled one is answered with `SPAM`. */
  honeypot?: string;
  /** With a mailer, `handle()` also sends. */
  mailer?: ContactMailer<S>;
  /** compose() options (envelopeFrom, dkim, …). */
  options?: Options;
}

export type ContactFormResult<S = unknown> =
  | { ok: true; data: ContactData; message: ComposedMessage; sent?: S }
  | { ok: false; errors: ContactFormError[]; retryable?: boolean };

export interface ContactForm<S = unknown> {
  /** zod schema of the visitor input (reusable in the browser or an API layer). */
  schema: ZodType<ContactData>;
  /** Checks, composes and (with a mailer) sends. Never throws for bad input. */
  handle(body: unknown): Promise<ContactFormResult<S>>;
}
