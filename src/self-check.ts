/**
 * The composer's last step before returning: the exact bytes go through the
 * same lint rules an operator runs on legacy mail. Any error finding is a bug
 * in this library, so the message is refused rather than sent. Only the rules
 * that can report an error run ({@link SELF_CHECK_RULES}): warnings and infos
 * would not refuse the message, so computing them is wasted work per message.
 */
import { MailHygieneError } from './errors.js';
import { lint, SELF_CHECK_RULES } from './lint/index.js';
import type { Policy } from './policy.js';

export function selfCheck(raw: Buffer, policy: Policy): void {
  const report = lint(raw, {
    smtputf8: policy.smtputf8,
    now: policy.now(),
    rules: SELF_CHECK_RULES as string[],
  });
  if (report.errors === 0) return;
  const list = report.findings
    .filter((f) => f.severity === 'error')
    .map((f) => `${f.rule}${f.location ? ` (${f.location})` : ''}: ${f.message}`)
    .join('; ');
  throw new MailHygieneError(
    'SELF_CHECK_FAILED',
    `composed message failed its self-check (a bug; please report it): ${list}`,
  );
}
