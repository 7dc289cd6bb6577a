import type { LintReport, RuleId } from '../../lint/index.js';
import { isRuleId, lint, rules } from '../../lint/index.js';
import { checkDate } from '../../read/index.js';
import type { Envelope } from '../../wire/index.js';
import { formatReport } from './format-report.js';
import { type CliIo, EX, parseCommand, readInput, usageError, useColour } from './io.js';

/** The rule catalogue, shipped in the package (package.json `files`). */
const RULES_DOC = 'docs/HYGIENE-RULES.md';

export const LINT_HELP = `Usage: mailhygiene lint [file…|-] [options]

Checks raw messages (RFC 5322/MIME bytes) against the hygiene rules. With no
file or "-", reads standard input. Every rule id, what it checks and how to
fix it: ${RULES_DOC} in the package
(node_modules/mailhygiene/${RULES_DOC}).

The age of a stored message's Date is not judged (rule date-skew): a file
written last week is not wrong for that. For mail about to be sent, give
--date-skew (against the current time) or --now TIME.

Options:
  --json                 machine-readable output: { files: [{ file, errors, warnings, findings }], errors, warnings }
  --strict               exit 1 when there are warnings (and no errors)
  --envelope-from ADDR   the envelope sender (MAIL FROM / sendmail -f); enables envelope rules
  --envelope-to ADDR     an envelope recipient (repeatable)
  --rule ID              run only this rule (repeatable; an unknown id is a usage error)
  --date-skew            also check that Date is near the current time (date-skew)
  --now TIME             the same against TIME: 2026-11-29T14:00:00Z or an RFC 5322 date
  -h, --help             show this help

Exit status: 0 clean, 1 warnings with --strict, 2 errors, 64 usage, 66 unreadable or empty input.
`;

const LINT = {
  name: 'lint',
  help: LINT_HELP,
  positionals: true,
  flags: {
    json: { type: 'boolean' },
    strict: { type: 'boolean' },
    'envelope-from': { type: 'string' },
    'envelope-to': { type: 'string', multiple: true },
    rule: { type: 'string', multiple: true },
    'date-skew': { type: 'boolean' },
    now: { type: 'string' },
  },
} as const;

const DATE_SKEW: RuleId = 'date-skew';

/** Runs `lint`; resolves to the exit status. */
export async function runLintCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(argv, io, LINT);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const selection = selectRules(values);
  if (typeof selection === 'string') return usageError(io, LINT, selection);
  const envelope: Envelope | undefined =
    values['envelope-from'] !== undefined || values['envelope-to'] !== undefined
      ? { from: values['envelope-from'] ?? '', to: values['envelope-to'] ?? [] }
      : undefined;
  const files = positionals.length === 0 ? ['-'] : positionals;
  const results: Array<{ file: string } & LintReport> = [];
  for (const file of files) {
    const raw = await readInput(file, io, 'lint');
    if (typeof raw === 'number') return raw;
    const opts: Parameters<typeof lint>[1] = { rules: selection.rules };
    if (selection.now) opts.now = selection.now;
    if (envelope) opts.envelope = envelope;
    results.push({ file: file === '-' ? '<stdin>' : file, ...lint(raw, opts) });
  }
  const errors = results.reduce((n, r) => n + r.errors, 0);
  const warnings = results.reduce((n, r) => n + r.warnings, 0);
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ files: results, errors, warnings }, null, 2)}\n`);
  } else {
    const colour = useColour(io);
    io.stdout.write(results.map((r) => formatReport(r.file, r, { colour })).join('\n'));
  }
  if (errors > 0) return 2;
  if (values.strict && warnings > 0) return 1;
  return EX.OK;
}

type Values = Exclude<ReturnType<typeof parseCommand<typeof LINT.flags, true>>, number>['values'];

/**
 * The rules to run and the reference time, or what is wrong with the options.
 * date-skew runs only with a reference time the user chose: judged against the
 * clock, every stored message would start failing a day after it was written.
 */
function selectRules(values: Values): { rules: RuleId[]; now?: Date } | string {
  const unknown = (values.rule ?? []).filter((id) => !isRuleId(id));
  if (unknown.length > 0) {
    return `unknown rule ${unknown.map((id) => JSON.stringify(id)).join(', ')}; the rule ids are in ${RULES_DOC}`;
  }
  let now: Date | undefined;
  if (values.now !== undefined) {
    now = parseInstant(values.now);
    if (!now) {
      return `--now ${JSON.stringify(values.now)} is not a time with a zone (2026-11-29T14:00:00Z, 2026-11-29T15:00:00+01:00 or "Sun, 29 Nov 2026 14:00:00 +0000")`;
    }
  } else if (values['date-skew']) {
    now = new Date();
  }
  const wanted = values.rule?.filter(isRuleId) ?? rules.map((r) => r.id);
  if (now) return { rules: wanted, now };
  if (values.rule?.includes(DATE_SKEW)) {
    return `--rule ${DATE_SKEW} needs a reference time: add --date-skew (the current time) or --now TIME`;
  }
  return { rules: wanted.filter((id) => id !== DATE_SKEW) };
}

/**
 * RFC 3339 date-time (the subset ECMAScript's Date parses the same way
 * everywhere) or an RFC 5322 date-time; either must name its zone, so the
 * result never depends on the machine's time zone.
 */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

function parseInstant(s: string): Date | undefined {
  let date: Date | undefined;
  if (RFC3339.test(s)) date = new Date(s.toUpperCase());
  else {
    const checked = checkDate(s);
    if (checked.problems.length === 0) date = checked.date;
  }
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}
