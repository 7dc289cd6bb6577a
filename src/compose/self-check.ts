/**
 * The composer's last step before returning. Any defect is a bug in this
 * library, so the message is refused rather than sent.
 *
 * By default the wire verifier (wire/mime/verify.ts) reads the exact bytes
 * once against the shape the renderer was asked for: framing, header
 * grammar, exactly the fields the model rendered, each body in its
 * encoding's alphabet and line shape, boundaries. It decodes no body: what
 * the encoders guarantee about the content (charset labels, UTF-8 validity)
 * is proven by the property suites, which run `selfCheck: 'full'`.
 *
 * `'full'` also runs the lint rules an operator runs on legacy mail. Only the
 * rules that can report an error run ({@link SELF_CHECK_RULES}): warnings and
 * infos would not refuse the message. A few warnings of lint are errors here
 * ({@link REFUSED_WARNINGS}): findings that lint reports mildly about foreign
 * mail but the composer promises never to produce (HYGIENE-RULES.md keeps
 * them warnings for `lint`).
 */

import type { Finding, RuleId } from '../lint/index.js';
import { formatLocation, lint, parseMessage, SELF_CHECK_RULES } from '../lint/index.js';
import { MailHygieneError, verifyWire, type WireShape } from '../wire/index.js';
import type { Policy } from './policy.js';

/** README: "multipart/alternative whenever there is HTML": an HTML-only message is our bug. */
const REFUSED_WARNINGS: readonly RuleId[] = ['html-only'];

/**
 * Refuses `raw` unless it is exactly `shape` on the wire (and, with
 * `selfCheck: 'full'`, passes the lint rules too).
 */
export function selfCheck(raw: Buffer, policy: Policy, shape: WireShape): void {
  const defect = verifyWire(raw, shape, { smtputf8: policy.smtputf8 });
  if (defect) {
    throw new MailHygieneError(
      'SELF_CHECK_FAILED',
      `composed message failed its self-check (a bug; please report it): ${defect.check} at octet ${defect.offset}: ${defect.message}`,
    );
  }
  if (policy.selfCheck === 'full') lintCheck(raw, policy);
}

/** Today's lint rule set on the exact bytes (`selfCheck: 'full'`). */
function lintCheck(raw: Buffer, policy: Policy): void {
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
