/**
 * The envelope of a PHP mail: which reverse-path the shim uses and which
 * recipient arguments it accepts. PHP runs as `www-data` or `wwwrun`, so
 * without `-f` (or with `-f www-data`) the MTA would use a local sender whose
 * bounces go nowhere; the configured bounce address replaces it.
 */

import { chooseReversePath, type SenderChoice } from '../../../compose/index.js';
import { assertEnvelopeAddress } from '../../../send/index.js';
import { isLocalDomain } from '../../../wire/index.js';

/** The chosen reverse-path and, when the requested one was not used, why. */
export type { SenderChoice };

/** `<a@b>` → `a@b`; other values unchanged. */
function unbracket(value: string): string {
  return value.length >= 2 && value.startsWith('<') && value.endsWith('>')
    ? value.slice(1, -1)
    : value;
}

/**
 * Why `address` cannot be a reverse-path that receives bounces, or undefined
 * when it can: it must be a plain `local@domain` (see `assertEnvelopeAddress`)
 * on a domain that routes on the internet (not `localhost`, no dot, `.local` …).
 */
export function unusableSenderReason(address: string): string | undefined {
  try {
    assertEnvelopeAddress(address, 'sender', 'sender');
  } catch (e) {
    return (e as Error).message;
  }
  const domain = address.slice(address.indexOf('@') + 1);
  if (isLocalDomain(domain)) return `${address} is a local or unqualified address`;
  return undefined;
}

/**
 * Chooses the reverse-path from `-f`/`-r`: kept when it is a usable address
 * (a VERP such as `bounce+id=x@example.com` is kept exactly), the null sender
 * when the caller passed `<>` (auto-replies, RFC 3834), else `envelopeFrom`.
 *
 * @example
 * ```ts
 * chooseSender('www-data', 'bounces@example.com')
 * // → { from: 'bounces@example.com', replaced: { requested: 'www-data', reason: '…' } }
 * ```
 */
export function chooseSender(requested: string | undefined, envelopeFrom: string): SenderChoice {
  // sendmail's spelling: no (or an empty) -f asks for the default sender, `<>` is the null sender.
  if (requested === undefined || requested === '') {
    return { from: envelopeFrom, replaced: { requested, reason: 'no -f/-r given' } };
  }
  const choice = chooseReversePath(
    requested === '<>' ? '' : unbracket(requested),
    envelopeFrom,
    unusableSenderReason,
  );
  // The log names the argument as it was given, brackets included.
  return choice.replaced ? { ...choice, replaced: { ...choice.replaced, requested } } : choice;
}

/**
 * Splits recipient arguments (sendmail also takes `a@x, b@y` in one argument),
 * drops angle brackets and checks each; returns the list or the first
 * problem. Recipients must be fully qualified: the shim has no local domain
 * to append.
 */
export function parseRecipientArgs(
  args: readonly string[],
): { ok: true; to: string[] } | { ok: false; reason: string } {
  const to: string[] = [];
  for (const arg of args) {
    for (const part of arg.split(',')) {
      const address = unbracket(part.trim());
      if (address === '') continue;
      try {
        assertEnvelopeAddress(address, 'recipient', 'recipient');
      } catch (e) {
        return {
          ok: false,
          reason: (e as Error).message.replace(
            /^recipient /,
            `recipient ${JSON.stringify(address)} `,
          ),
        };
      }
      to.push(address);
    }
  }
  return { ok: true, to };
}

/** Recipients in first-seen order, without duplicates (domains compared case-insensitively). */
export function mergeRecipients(...lists: ReadonlyArray<readonly string[]>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const list of lists) {
    for (const address of list) {
      const at = address.lastIndexOf('@');
      const key = at === -1 ? address : address.slice(0, at) + address.slice(at).toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(address);
    }
  }
  return out;
}
