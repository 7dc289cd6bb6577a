/**
 * Defence in depth at the process and protocol boundary: every envelope
 * address is checked again right before it becomes a sendmail argv element
 * or an SMTP `MAIL FROM`/`RCPT TO` argument. The composer checks addresses
 * too; this check is deliberately narrower (a plain dot-atom `local@domain`)
 * because a wrong guess here hands an option or a command to another program.
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import { formatCodePoint, MailHygieneError } from '../errors.js';
import { findUnsafeCodePoint } from '../header/single-line.js';
import type { Envelope } from '../types.js';

export interface EnvelopeCheckOptions {
  /** Allow UTF-8 in addresses (RFC 6531). Only for a next hop known to speak SMTPUTF8. */
  smtputf8?: boolean;
}

/**
 * Characters refused in an envelope address even though RFC 5322 allows some
 * of them: quoting and escaping (`"` `\`), path and list syntax (`<>()[],;:`),
 * `%` and `!` (percent hack and bang paths make an MTA route to a host other
 * than the domain after `@`). Shell metacharacters need no special care:
 * no shell is ever used.
 */
const REFUSED = new Set(['"', '\\', '<', '>', '(', ')', '[', ']', ',', ';', ':', '%', '!']);

/** RFC 5322 atext, minus what {@link REFUSED} takes away. */
const ASCII_ATEXT = /^[A-Za-z0-9#$&'*+\-/=?^_`{|}~]+$/;
const LDH_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

type Role = 'sender' | 'recipient';

function fail(role: Role, field: string, why: string, codePoint?: number): never {
  const code = role === 'sender' ? 'INVALID_ENVELOPE_SENDER' : 'INVALID_ENVELOPE_RECIPIENT';
  throw new MailHygieneError(code, `${field} ${why}`, { field, codePoint });
}

/**
 * Throws unless `address` is a plain `local@domain` safe to pass as one argv
 * element or SMTP path: printable, no whitespace, no leading `-`, exactly one
 * `@`, a dot-atom local part of at most 64 octets, a dotted domain of
 * letter-digit-hyphen labels, at most 254 octets in all. Non-ASCII is allowed
 * only with `smtputf8` (otherwise `SMTPUTF8_REQUIRED`).
 *
 * @example
 * ```ts
 * assertEnvelopeAddress('bounce@example.com', 'sender', 'envelope.from') // ok
 * assertEnvelopeAddress('-X/tmp/log', 'sender', 'envelope.from')       // throws INVALID_ENVELOPE_SENDER
 * ```
 */
export function assertEnvelopeAddress(
  address: unknown,
  role: Role,
  field: string,
  options: EnvelopeCheckOptions = {},
): asserts address is string {
  if (typeof address !== 'string') fail(role, field, 'must be a string');
  if (address.length === 0) fail(role, field, 'is empty');
  const unsafe = findUnsafeCodePoint(address);
  if (unsafe !== -1) {
    fail(role, field, `contains a control character (${formatCodePoint(unsafe)})`, unsafe);
  }
  for (const ch of address) {
    const cp = ch.codePointAt(0)!;
    // \s covers ASCII space and TAB and the Unicode spaces (NBSP, U+2000…, U+3000, BOM).
    if (/\s/u.test(ch)) fail(role, field, `contains whitespace (${formatCodePoint(cp)})`, cp);
    if (REFUSED.has(ch))
      fail(role, field, `contains ${JSON.stringify(ch)}, refused in an envelope`, cp);
    if (cp > 0x7e && !options.smtputf8) {
      throw new MailHygieneError(
        'SMTPUTF8_REQUIRED',
        `${field} contains non-ASCII (${formatCodePoint(cp)}); this transport is not set up for SMTPUTF8`,
        { field, codePoint: cp },
      );
    }
  }
  // A leading '-' turns the argv element into an option (CVE-2016-10033 class).
  if (address.startsWith('-')) fail(role, field, 'starts with "-"');
  if (Buffer.byteLength(address) > 254) fail(role, field, 'is longer than 254 octets');
  const at = address.indexOf('@');
  if (at === -1 || at !== address.lastIndexOf('@'))
    fail(role, field, 'must contain exactly one "@"');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length === 0 || Buffer.byteLength(local) > 64) {
    fail(role, field, 'has an empty local part or one longer than 64 octets');
  }
  // An encoded-word is never part of an address (RFC 2047 §5); MIME decoders turn it into '@'s.
  if (local.includes('=?')) fail(role, field, 'has an encoded-word in the local part');
  for (const atom of local.split('.')) {
    if (atom.length === 0)
      fail(role, field, 'has a leading, trailing or doubled "." in the local part');
    if (!options.smtputf8 && !ASCII_ATEXT.test(atom))
      fail(role, field, 'has an invalid local part');
  }
  const labels = domain.split('.');
  if (labels.length < 2) fail(role, field, 'needs a fully qualified domain (with a dot)');
  for (const label of labels) {
    const ascii = /^[\x00-\x7f]*$/.test(label);
    if (label.length === 0) fail(role, field, 'has an empty domain label');
    if (ascii ? !LDH_LABEL.test(label) : label.startsWith('-') || label.endsWith('-')) {
      fail(role, field, `has an invalid domain label ${JSON.stringify(label)}`);
    }
  }
  // IDNA: the domain must already be in the form it maps to (no fullwidth letters, no A-label
  // that decodes to something else, e.g. xn--0049 → ','), else validators and MTAs disagree.
  const lower = domain.toLowerCase();
  const nonAscii = /[^\x00-\x7f]/.test(lower);
  if (nonAscii || /(^|\.)xn--/.test(lower)) {
    const ascii = domainToASCII(lower);
    const stable =
      ascii !== '' &&
      (nonAscii
        ? domainToUnicode(ascii) === lower
        : domainToASCII(domainToUnicode(ascii)) === ascii && ascii === lower);
    if (!stable) fail(role, field, 'has a domain that is not in IDNA-normal form');
  }
}

/**
 * Checks a whole envelope. The reverse-path may be `''` (the null sender
 * `<>`, for bounces and auto-replies; the composer decides when that is
 * allowed). There must be at least one recipient.
 */
export function assertEnvelope(envelope: Envelope, options: EnvelopeCheckOptions = {}): void {
  if (envelope === null || typeof envelope !== 'object') {
    throw new MailHygieneError('INVALID_ENVELOPE_SENDER', 'envelope must be an object', {
      field: 'envelope',
    });
  }
  if (envelope.from !== '')
    assertEnvelopeAddress(envelope.from, 'sender', 'envelope.from', options);
  if (!Array.isArray(envelope.to) || envelope.to.length === 0) {
    throw new MailHygieneError('NO_RECIPIENTS', 'envelope.to has no recipients', {
      field: 'envelope.to',
    });
  }
  envelope.to.forEach((rcpt, i) => {
    assertEnvelopeAddress(rcpt, 'recipient', `envelope.to[${i}]`, options);
  });
}

/**
 * The sendmail argv for one message: `[...args, '-i', '-f', from, '--', ...to]`.
 * `--` ends option parsing, so even an address that slipped past the check
 * could not be read as an option; `-i` keeps a lone `.` line from ending input.
 * The null sender is passed as `<>`.
 */
export function sendmailArgv(
  envelope: Envelope,
  args: readonly string[] = [],
  options: EnvelopeCheckOptions = {},
): string[] {
  assertEnvelope(envelope, options);
  return [...args, '-i', '-f', envelope.from === '' ? '<>' : envelope.from, '--', ...envelope.to];
}
