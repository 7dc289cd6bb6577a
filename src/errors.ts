/**
 * Every refusal of the library is a {@link MailHygieneError} with a stable `code`
 * and, where it applies, the input `field` that caused it. Callers branch on
 * `code`; `message` is for humans.
 */

/** Stable error codes. New codes may be added; existing ones never change meaning. */
export type ErrorCode =
  | 'HEADER_INJECTION'
  | 'INVALID_HEADER_NAME'
  | 'RESERVED_HEADER'
  | 'INVALID_HEADER_VALUE'
  | 'HEADER_TOO_LONG'
  | 'INVALID_BODY'
  | 'FORM_FIELD'
  | 'INVALID_ADDRESS'
  | 'SMTPUTF8_REQUIRED'
  | 'INVALID_ENVELOPE_SENDER'
  | 'INVALID_ENVELOPE_RECIPIENT'
  | 'TOO_MANY_RECIPIENTS'
  | 'NO_RECIPIENTS'
  | 'NO_BODY'
  | 'HTML_IN_SUBJECT'
  | 'INVALID_ATTACHMENT'
  | 'INVALID_MESSAGE_ID'
  | 'INVALID_LIST_UNSUBSCRIBE'
  | 'INVALID_INPUT'
  | 'INVALID_OPTIONS'
  | 'SELF_CHECK_FAILED'
  | 'REPAIR_REFUSED'
  | 'DKIM_UNALIGNED'
  | 'DKIM_INVALID_KEY'
  | 'TRANSPORT_FAILED'
  | 'TRANSPORT_UNAVAILABLE';

export interface MailHygieneErrorOptions {
  field?: string;
  /** The offending code point, for injection and character errors. */
  codePoint?: number;
  cause?: unknown;
}

/**
 * A typed refusal. `code` says what went wrong, `field` which input it was.
 *
 * @example
 * ```ts
 * try { await compose(input) } catch (e) {
 *   if (e instanceof MailHygieneError && e.code === 'HEADER_INJECTION') reply400(e.field)
 * }
 * ```
 */
export class MailHygieneError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly codePoint?: number;

  constructor(code: ErrorCode, message: string, options: MailHygieneErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MailHygieneError';
    this.code = code;
    if (options.field !== undefined) this.field = options.field;
    if (options.codePoint !== undefined) this.codePoint = options.codePoint;
  }
}

/** Formats a code point for messages: `U+000A`. */
export function formatCodePoint(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}
