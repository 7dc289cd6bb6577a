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

/**
 * One error type for every transport failure, so callers can decide whether
 * to retry without knowing which transport they use: `temporary` means the
 * same message may succeed later (queue it), `permanent` means it will not.
 */
export type TransportErrorCode = 'TRANSPORT_FAILED' | 'TRANSPORT_UNAVAILABLE';

export interface TransportErrorOptions {
  /** True when a retry of the same message may succeed. */
  temporary: boolean;
  /** SMTP reply code, e.g. 451. */
  responseCode?: number;
  /** RFC 3463 enhanced status code, e.g. `5.7.1`. */
  enhancedCode?: string;
  /** The SMTP command or program that failed: `RCPT TO`, `DATA`, `sendmail`. */
  command?: string;
  /** The full server reply, where there was one. */
  response?: string;
  /** What the sendmail program wrote to stderr (bounded). */
  stderr?: string;
  /** Process exit code (sendmail). */
  exitCode?: number;
  /** Envelope recipients refused, when the failure is that all recipients were refused. */
  rejected?: string[];
  field?: string;
  cause?: unknown;
}

/**
 * A failed hand-over. Exactly one of `temporary` and `permanent` is true.
 *
 * @example
 * ```ts
 * try { await mailer.send(input) } catch (e) {
 *   if (e instanceof TransportError && e.temporary) await queue.retryLater(input)
 *   else throw e
 * }
 * ```
 */
export class TransportError extends MailHygieneError {
  readonly temporary: boolean;
  readonly permanent: boolean;
  readonly responseCode?: number;
  readonly enhancedCode?: string;
  readonly command?: string;
  readonly response?: string;
  readonly stderr?: string;
  readonly exitCode?: number;
  readonly rejected?: string[];

  constructor(code: TransportErrorCode, message: string, options: TransportErrorOptions) {
    super(code, message, { field: options.field, cause: options.cause });
    this.name = 'TransportError';
    this.temporary = options.temporary;
    this.permanent = !options.temporary;
    if (options.responseCode !== undefined) this.responseCode = options.responseCode;
    if (options.enhancedCode !== undefined) this.enhancedCode = options.enhancedCode;
    if (options.command !== undefined) this.command = options.command;
    if (options.response !== undefined) this.response = options.response;
    if (options.stderr !== undefined) this.stderr = options.stderr;
    if (options.exitCode !== undefined) this.exitCode = options.exitCode;
    if (options.rejected !== undefined) this.rejected = options.rejected;
  }
}
