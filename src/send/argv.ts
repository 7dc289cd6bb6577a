/**
 * Defence in depth at the process and protocol boundary: every envelope
 * address is checked again right before it becomes a sendmail argv element
 * or an SMTP `MAIL FROM`/`RCPT TO` argument. The composer checks addresses
 * too; this check is deliberately narrower (a plain dot-atom `local@domain`)
 * because a wrong guess here hands an option or a command to another program.
 */

import { assertShellSafeSender } from '../compose/index.js';
import type { Envelope } from '../wire/index.js';
import { formatCodePoint, MailHygieneError, parseAddrSpec } from '../wire/index.js';

export interface EnvelopeCheckOptions {
  /** Allow UTF-8 in addresses (RFC 6531). Only for a next hop known to speak SMTPUTF8. */
  smtputf8?: boolean;
}

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
  // A leading '-' turns the argv element into an option (CVE-2016-10033 class).
  if (address.startsWith('-')) fail(role, field, 'starts with "-"');
  // Source-routing hacks (user%host@relay, host!user@…) that open relays once honoured.
  const hack = /[%!]/.exec(address.slice(0, address.lastIndexOf('@')));
  if (hack)
    fail(
      role,
      field,
      `contains ${JSON.stringify(hack[0])} in the local part, refused in an envelope`,
    );
  // The same mailbox grammar as compose(): one parser, one set of rules.
  try {
    parseAddrSpec(address, field, { smtputf8: options.smtputf8 ?? false }, '');
  } catch (e) {
    if (e instanceof MailHygieneError && e.code === 'INVALID_ADDRESS') {
      fail(role, field, e.message.replace(`${field}: `, ''), e.codePoint);
    }
    throw e;
  }
  // Shell metacharacters in a sender (PHPMailer's isShellSafe policy; see envelope.ts).
  if (role === 'sender') assertShellSafeSender(address, field);
  // compose() hands transports A-labels; a U-label here would need SMTPUTF8.
  const cp = /[^\x00-\x7f]/u.exec(address)?.[0].codePointAt(0);
  if (cp !== undefined && !options.smtputf8) {
    throw new MailHygieneError(
      'SMTPUTF8_REQUIRED',
      `${field} contains non-ASCII (${formatCodePoint(cp)}); this transport is not set up for SMTPUTF8`,
      { field, codePoint: cp },
    );
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
