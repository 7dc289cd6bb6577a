/** Message-ID generation and checking (RFC 5322 §3.6.4). */
import { MailHygieneError } from '../errors.js';
import { randomBase64url } from './random.js';

const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const NO_FOLD_LITERAL = /^\[[\x21-\x5a\x5e-\x7e]*\]$/;

/**
 * 128 random bits (no hostname, no time, no counter: nothing leaks). An id that
 * happens to end in the sender's address (`…a@example.com` for `a@example.com`)
 * is drawn again: rspamd scores MID_CONTAINS_FROM on that substring.
 */
export function generateMessageId(domain: string, fromAddress = ''): string {
  const avoid = fromAddress.toLowerCase();
  for (;;) {
    const id = `<${randomBase64url(16)}@${domain}>`;
    if (avoid === '' || !id.toLowerCase().includes(avoid)) return id;
  }
}

/**
 * Parses a msg-id given with or without angle brackets and returns it with them.
 * Throws INVALID_MESSAGE_ID (or HEADER_INJECTION for line breaks) otherwise.
 */
export function parseMessageId(value: unknown, field: string): string {
  if (typeof value !== 'string') {
    throw new MailHygieneError('INVALID_MESSAGE_ID', `${field} must be a string`, { field });
  }
  if (/[\r\n\u0085\u2028\u2029]/.test(value)) {
    throw new MailHygieneError('HEADER_INJECTION', `${field} contains a line break`, { field });
  }
  const inner = value.startsWith('<') && value.endsWith('>') ? value.slice(1, -1) : value;
  const at = inner.lastIndexOf('@');
  const left = inner.slice(0, at);
  const right = inner.slice(at + 1);
  if (
    at <= 0 ||
    inner.length > 250 ||
    inner.includes('=?') || // read as an RFC 2047 encoded-word by lenient parsers
    !DOT_ATOM.test(left) ||
    !(DOT_ATOM.test(right) || NO_FOLD_LITERAL.test(right))
  ) {
    throw new MailHygieneError(
      'INVALID_MESSAGE_ID',
      `${field}: ${JSON.stringify(value.slice(0, 80))} is not a msg-id of the form <left@right>`,
      { field },
    );
  }
  return `<${inner}>`;
}
