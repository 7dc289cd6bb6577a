/** Custom header names: RFC 5322 ftext only, and never a field the library owns. */
import { MailHygieneError } from '../errors.js';
import { MAX_FIELD_NAME } from '../limits.js';

const FTEXT = /^[\x21-\x39\x3b-\x7e]+$/;

/**
 * Fields that have a dedicated input or belong to the MIME structure, the MTA
 * or the signer. Setting them through `headers` would duplicate or contradict ours.
 */
const RESERVED = new Set([
  'from',
  'sender',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'in-reply-to',
  'references',
  'mime-version',
  'return-path',
  'received',
  'dkim-signature',
  'list-unsubscribe',
  'list-unsubscribe-post',
  'auto-submitted',
]);

/** Throws INVALID_HEADER_NAME unless `name` may be set through `headers`. */
export function checkCustomHeaderName(name: string, field: string): string {
  if (typeof name !== 'string' || !FTEXT.test(name) || name.length > MAX_FIELD_NAME) {
    throw new MailHygieneError(
      'INVALID_HEADER_NAME',
      `${field}: header name ${JSON.stringify(String(name).slice(0, 80))} must be 1–${MAX_FIELD_NAME} printable ASCII characters without ":" or spaces`,
      { field },
    );
  }
  const lower = name.toLowerCase();
  if (lower === 'resent-bcc') {
    // Hidden recipients in the bytes are disclosed to every recipient, and no transport reads them.
    throw new MailHygieneError(
      'INVALID_HEADER_NAME',
      `${field}: "${name}" would show its hidden recipients to everyone and deliver to none of them; put those addresses in bcc (or envelope.to)`,
      { field },
    );
  }
  if (RESERVED.has(lower) || lower.startsWith('content-')) {
    throw new MailHygieneError(
      'INVALID_HEADER_NAME',
      `${field}: "${name}" is set by the library from its own input; it cannot be given in headers`,
      { field },
    );
  }
  return name;
}
