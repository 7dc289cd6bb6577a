/**
 * `lint()`: judges raw message bytes against the rule catalogue
 * (docs/HYGIENE-RULES.md). The composer's self-check runs the same rules.
 */

import { type ParsedMessage, parseMessage } from '../read/index.js';
import { LintContext, type LintOptions, type RuleInfo } from './context.js';
import type { LintReport } from './findings.js';
import { allRules, SELF_CHECK_RULES, selfCheckRules } from './rules/index.js';

export type { ParsedMessage } from '../read/index.js';
export { parseMessage } from '../read/index.js';
export type { LintOptions, RuleInfo } from './context.js';
export { SELF_CHECK_RULES } from './rules/index.js';

/** Every rule: id, primary severity, catalogue section, and whether it needs the envelope. */
export const rules: readonly RuleInfo[] = Object.freeze(
  allRules.map(({ id, severity, section, needs }) =>
    Object.freeze({ id, severity, section, needs }),
  ),
);

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/**
 * Lints a raw message (bytes as they would go on the wire).
 *
 * @example
 * ```ts
 * const report = lint(fs.readFileSync('mail.eml'), { envelope: { from: 'www-data@localhost', to: ['a@b.example'] } })
 * if (report.errors > 0) for (const f of report.findings) console.log(f.rule, f.message)
 * ```
 */
export function lint(
  raw: Uint8Array | string | ParsedMessage,
  options: LintOptions = {},
): LintReport {
  const msg = isParsed(raw) ? raw : parseMessage(raw);
  const ctx = new LintContext(msg, options);
  // The self-check passes the shared list itself: its rules were selected once.
  if (options.rules === SELF_CHECK_RULES) {
    for (const r of selfCheckRules) r.check(ctx);
  } else {
    const only = options.rules ? new Set(options.rules) : undefined;
    for (const r of allRules) {
      if (only && !only.has(r.id)) continue;
      r.check(ctx);
    }
  }
  const findings =
    ctx.findings.length === 0
      ? ctx.findings
      : ctx.findings
          .map((f, i) => ({ f, i }))
          .sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || a.i - b.i)
          .map((x) => x.f);
  let errors = 0;
  let warnings = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
  }
  return { findings, errors, warnings };
}

function isParsed(x: unknown): x is ParsedMessage {
  return typeof x === 'object' && x !== null && 'root' in x && 'lineStarts' in x;
}

export type { Finding, FindingLocation, LintReport, Severity } from './findings.js';
export { formatLocation } from './findings.js';
export { plural } from './plural.js';
export { isRuleId, RULE_IDS, type RuleId } from './rule-ids.js';
export { PROBLEM_TEXT } from './rules/addresses.js';
export { ENTITY_SINGLETONS, SINGLETONS } from './rules/required-headers.js';
