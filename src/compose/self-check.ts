/**
 * The composer's last step before returning: the exact bytes go through the
 * same lint rules an operator runs on legacy mail. Any error finding is a bug
 * in this library, so the message is refused rather than sent. Only the rules
 * that can report an error run ({@link SELF_CHECK_RULES}): warnings and infos
 * would not refuse the message, so computing them is wasted work per message.
 *
 * A few warnings of lint are errors here ({@link REFUSED_WARNINGS}): findings
 * that lint reports mildly about foreign mail but the composer promises never
 * to produce (HYGIENE-RULES.md keeps them warnings for `lint`).
 */

import type { Finding, RuleId } from '../lint/index.js';
import { formatLocation, lint, parseMessage, SELF_CHECK_RULES } from '../lint/index.js';
import { MailHygieneError } from '../wire/index.js';
import type { Policy } from './policy.js';

/** README: "multipart/alternative whenever there is HTML": an HTML-only message is our bug. */
const REFUSED_WARNINGS: readonly RuleId[] = ['html-only'];

export function selfCheck(raw: Buffer, policy: Policy): void {
  const msg = parseMessage(raw);
  // Every lint option spelled out: none may be read from a polluted Object.prototype.
  const options = { smtputf8: policy.smtputf8, now: policy.now(), envelope: undefined };
  const errors = lint(msg, { ...options, rules: SELF_CHECK_RULES }).findings.filter(
    (f) => f.severity === 'error',
  );
  errors.push(...lint(msg, { ...options, rules: REFUSED_WARNINGS }).findings);
  if (errors.length === 0) return;
  throw new MailHygieneError(
    'SELF_CHECK_FAILED',
    `composed message failed its self-check (a bug; please report it): ${describe(errors)}`,
  );
}

function describe(findings: readonly Finding[]): string {
  return findings
    .map((f) => `${f.rule}${f.location ? ` (${formatLocation(f.location)})` : ''}: ${f.message}`)
    .join('; ');
}
