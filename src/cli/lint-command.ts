import { parseArgs } from 'node:util';
import { lint } from '../lint/index.js';
import type { Envelope, LintReport } from '../types.js';
import { formatReport } from './format-report.js';
import { type CliIo, EX, parseCommand, readInput, useColour } from './io.js';

export const LINT_HELP = `Usage: mailhygiene lint [file…|-] [options]

Checks raw messages (RFC 5322/MIME bytes) against the hygiene rules
(docs/HYGIENE-RULES.md). With no file or "-", reads standard input.

Options:
  --json                 machine-readable output: { files: [{ file, errors, warnings, findings }], errors, warnings }
  --strict               exit 1 when there are warnings (and no errors)
  --envelope-from ADDR   the envelope sender (MAIL FROM / sendmail -f); enables envelope rules
  --envelope-to ADDR     an envelope recipient (repeatable)
  --rule ID              run only this rule (repeatable)
  -h, --help             show this help

Exit status: 0 clean, 1 warnings with --strict, 2 errors, 64 usage, 66 unreadable input.
`;

/** Runs `lint`; resolves to the exit status. */
export async function runLintCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(parse, argv, io, 'lint', LINT_HELP);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(LINT_HELP);
    return EX.OK;
  }
  const envelope: Envelope | undefined =
    values['envelope-from'] !== undefined || values['envelope-to'] !== undefined
      ? { from: values['envelope-from'] ?? '', to: values['envelope-to'] ?? [] }
      : undefined;
  const files = positionals.length === 0 ? ['-'] : positionals;
  const results: Array<{ file: string } & LintReport> = [];
  for (const file of files) {
    const raw = await readInput(file, io, 'lint');
    if (typeof raw === 'number') return raw;
    const opts: Parameters<typeof lint>[1] = {};
    if (envelope) opts.envelope = envelope;
    if (values.rule) opts.rules = values.rule;
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

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean' },
      strict: { type: 'boolean' },
      'envelope-from': { type: 'string' },
      'envelope-to': { type: 'string', multiple: true },
      rule: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
