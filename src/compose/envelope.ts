/**
 * The SMTP envelope: an explicit, checked reverse-path (where bounces go) and
 * the forward-paths. A local or unqualified sender (wwwrun@localhost,
 * www-data@web01, *.local …) is replaced by the configured bounce address or
 * refused — never passed on, because its bounces would be lost.
 */

import type { Mailbox } from '../wire/index.js';
import { isLocalDomain, MailHygieneError, parseAddrSpec } from '../wire/index.js';
import type { Policy } from './policy.js';

/** Parses a reverse-path; errors are INVALID_ENVELOPE_SENDER (or SMTPUTF8_REQUIRED). */
export function parseReversePath(value: string, field: string, policy: Policy): Mailbox {
  try {
    return parseAddrSpec(
      value.startsWith('<') && value.endsWith('>') ? value.slice(1, -1) : value,
      field,
      { smtputf8: policy.smtputf8 },
      '',
    );
  } catch (e) {
    if (e instanceof MailHygieneError && e.code !== 'SMTPUTF8_REQUIRED') {
      throw new MailHygieneError('INVALID_ENVELOPE_SENDER', e.message, { field, cause: e });
    }
    throw e;
  }
}

/**
 * Characters an envelope sender may hold: letters and digits of any script,
 * `@ . _ -` (PHPMailer's `isShellSafe` policy) plus `+` and `=`, which VERP
 * and sub-addressing (`bounces+tag=example.org@…`) need and no shell expands.
 * Everything else in RFC 5322's atext (`` ` $ & | ; ' * ? ~ # { } ^ ! % / ``)
 * means something to a shell. We never run one, but the reverse-path is
 * handed to other programs (sendmail's `-f`, MTA hooks, log processors)
 * that may; a real bounce address needs none of them.
 */
const SHELL_UNSAFE = /[^\p{L}\p{M}\p{N}@._+=-]/u;

/** Throws INVALID_ENVELOPE_SENDER when `address` holds a shell metacharacter. */
export function assertShellSafeSender(address: string, field: string): void {
  const bad = SHELL_UNSAFE.exec(address)?.[0];
  if (bad === undefined) return;
  throw new MailHygieneError(
    'INVALID_ENVELOPE_SENDER',
    `${field} ${JSON.stringify(address.slice(0, 80))} contains ${JSON.stringify(bad)}; an envelope sender may hold only letters, digits and @ . _ - + =, since it is handed to other programs${field === 'from' ? ' (set options.envelopeFrom to a bounce address, and the From address may keep it)' : ''}`,
    { field, codePoint: bad.codePointAt(0)! },
  );
}

/**
 * The last configured bounce address parsed. An application sends with the same
 * options again and again; a Mailbox is immutable, and only successes are kept,
 * so a bad option still throws the same error each time.
 */
let lastConfigured: { value: string; smtputf8: boolean; mailbox: Mailbox } | undefined;

function configuredReversePath(policy: Policy): Mailbox {
  const value = policy.envelopeFrom!;
  const c = lastConfigured;
  if (c !== undefined && c.value === value && c.smtputf8 === policy.smtputf8) return c.mailbox;
  const mailbox = parseReversePath(value, 'options.envelopeFrom', policy);
  lastConfigured = { value, smtputf8: policy.smtputf8, mailbox };
  return mailbox;
}

/**
 * The `envelopeFrom` option parsed and checked (undefined when not set):
 * mailers and forms call it when they are created, so a bad bounce address
 * fails at startup rather than on the first send.
 */
export function checkEnvelopeFromOption(policy: Policy): Mailbox | undefined {
  if (policy.envelopeFrom === undefined) return undefined;
  const configured = configuredReversePath(policy);
  assertShellSafeSender(configured.address, 'options.envelopeFrom');
  if (isLocalDomain(configured.domain)) {
    throw new MailHygieneError(
      'INVALID_ENVELOPE_SENDER',
      `options.envelopeFrom ${configured.address} is on a local domain; bounces to it would be lost`,
      { field: 'options.envelopeFrom' },
    );
  }
  return configured;
}

/**
 * Chooses the reverse-path: `explicit` (message input) ?? policy.envelopeFrom ?? From.
 * An explicit empty string is the null reverse-path `<>` (DSNs, auto-replies).
 */
export function resolveReversePath(
  explicit: string | undefined,
  from: Mailbox,
  policy: Policy,
): string {
  if (explicit === '') return '';
  const configured = checkEnvelopeFromOption(policy);
  const candidate =
    explicit !== undefined
      ? parseReversePath(explicit, 'envelope.from', policy)
      : (configured ?? from);
  if (!isLocalDomain(candidate.domain)) {
    assertShellSafeSender(candidate.address, explicit !== undefined ? 'envelope.from' : 'from');
    return candidate.address;
  }
  if (configured) return configured.address;
  throw new MailHygieneError(
    'INVALID_ENVELOPE_SENDER',
    `${candidate.address} is a local or unqualified sender: bounces to it would be lost. Set options.envelopeFrom to a bounce address that receives mail`,
    { field: explicit !== undefined ? 'envelope.from' : 'from' },
  );
}

/** A chosen reverse-path and, when the requested sender was not used, why. */
export interface SenderChoice {
  /** The reverse-path to use; `''` is the null sender `<>`. */
  from: string;
  /** Set when the requested sender was replaced by the configured bounce address. */
  replaced?: { requested: string | undefined; reason: string };
}

/**
 * The reverse-path decision that repair() and the sendmail shim share (compose()
 * refuses instead, see {@link resolveReversePath}): a requested sender that can
 * receive bounces is kept exactly (a VERP address too), the null sender `''`
 * is kept (auto-replies, RFC 3834), and a missing or unusable one is replaced
 * by the configured bounce address, never passed on.
 *
 * @param unusable why an address cannot receive bounces, or undefined when it
 *   can: each caller checks with the parser of its own input (the shim also
 *   refuses what a sendmail argv cannot carry)
 *
 * @example
 * ```ts
 * chooseReversePath('www-data', 'bounces@example.com', why)
 * // → { from: 'bounces@example.com', replaced: { requested: 'www-data', reason: '…' } }
 * ```
 */
export function chooseReversePath(
  requested: string | undefined,
  configured: string,
  unusable: (address: string) => string | undefined,
): SenderChoice {
  if (requested === undefined) {
    return { from: configured, replaced: { requested, reason: 'no sender given' } };
  }
  if (requested === '') return { from: '' };
  const reason = unusable(requested);
  return reason === undefined
    ? { from: requested }
    : { from: configured, replaced: { requested, reason } };
}

/** Deduplicates recipients (domains are already lower-case ASCII) and applies the limits. */
export function resolveRecipients(
  explicit: string[] | undefined,
  headerRecipients: readonly Mailbox[],
  policy: Policy,
): string[] {
  let list: string[];
  if (explicit !== undefined) {
    if (explicit.length > policy.maxRecipients) tooMany(explicit.length, policy);
    list = explicit.map((a, i) => {
      try {
        return parseAddrSpec(a, `envelope.to[${i}]`, { smtputf8: policy.smtputf8 }, '').address;
      } catch (e) {
        if (e instanceof MailHygieneError && e.code === 'INVALID_ADDRESS') {
          throw new MailHygieneError('INVALID_ENVELOPE_RECIPIENT', e.message, {
            field: `envelope.to[${i}]`,
            cause: e,
          });
        }
        throw e;
      }
    });
  } else {
    list = headerRecipients.map((m) => m.address);
  }
  const unique = [...new Set(list)];
  if (unique.length === 0) {
    throw new MailHygieneError(
      'NO_RECIPIENTS',
      'the message has no recipient: give to, cc or bcc',
      { field: 'to' },
    );
  }
  if (unique.length > policy.maxRecipients) tooMany(unique.length, policy);
  return unique;
}

function tooMany(n: number, policy: Policy): never {
  throw new MailHygieneError(
    'TOO_MANY_RECIPIENTS',
    `${n} recipients exceed the limit of ${policy.maxRecipients} (RFC 5321 guarantees 100 per transaction); send in batches`,
    { field: 'to' },
  );
}
