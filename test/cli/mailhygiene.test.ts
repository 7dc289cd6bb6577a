import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatReport } from '../../src/tools/cli/format-report.js';
import { useColour } from '../../src/tools/cli/io.js';
import { main } from '../../src/tools/cli/main.js';

const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'src/tools/cli/mailhygiene.ts');
const sample = (f: string) => join(ROOT, 'test/fixtures/samples', f);

function run(
  args: string[],
  opts: { input?: string | Buffer; env?: Record<string, string>; bin?: string } = {},
) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', opts.bin ?? CLI, ...args], {
    cwd: ROOT,
    input: opts.input,
    env: { ...process.env, NO_COLOR: '', ...opts.env },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The CLI in this process (src/tools/cli/main.ts has no side effects): no child process per case. */
async function call(args: string[], input: string | Buffer = '') {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (c) => (stdout += String(c)) },
    stderr: { write: (c) => (stderr += String(c)) },
    stdin: (async function* () {
      yield Buffer.from(input);
    })(),
    env: { NO_COLOR: '1' },
  });
  return { code, stdout, stderr };
}

describe('mailhygiene lint', () => {
  it('exits 0 on a clean message and prints no colour codes when piped', () => {
    const r = run(['lint', sample('good.eml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 errors, 0 warnings');
    expect(r.stdout).not.toContain('\x1b[');
  });
  it('exits 2 on errors and groups findings by severity with rule ids', () => {
    const r = run(['lint', sample('bad.eml')]);
    expect(r.code).toBe(2);
    const errorsAt = r.stdout.indexOf('Errors (');
    const warningsAt = r.stdout.indexOf('Warnings (');
    expect(errorsAt).toBeGreaterThan(-1);
    expect(warningsAt).toBeGreaterThan(errorsAt);
    expect(r.stdout).toContain('missing-date');
    expect(r.stdout).toContain('Add "Date:"');
    // Locations are data; the human report writes them as text.
    expect(r.stdout).toMatch(/subject-needs-encoding {2}header Subject \(line 3\)\n/);
    expect(r.stdout).toMatch(/missing-date {2}header block\n/);
  });
  it('exits 1 on warnings only with --strict, 0 without', () => {
    expect(run(['lint', sample('probe-no-to.eml')]).code).toBe(0);
    expect(run(['lint', '--strict', sample('probe-no-to.eml')]).code).toBe(1);
  });
  it('--json has files[], per-file counts and findings', () => {
    const r = run(['lint', '--json', sample('bad.eml'), sample('good.eml')]);
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout);
    expect(out.files).toHaveLength(2);
    expect(out.files[0].file).toContain('bad.eml');
    expect(out.files[0].errors).toBeGreaterThan(0);
    expect(out.files[1].errors).toBe(0);
    expect(out.errors).toBe(out.files[0].errors);
    for (const f of out.files[0].findings) {
      expect(Object.keys(f).sort()).toEqual(
        expect.arrayContaining(['message', 'rule', 'severity']),
      );
    }
    // The location is printed as data, not as the human text.
    const at = (rule: string) =>
      out.files[0].findings.find((f: { rule: string }) => f.rule === rule).location;
    expect(at('subject-needs-encoding')).toEqual({ part: '', header: 'Subject', line: 3 });
    expect(at('missing-date')).toEqual({ part: '', area: 'header' });
  });
  it('reads stdin with "-" and applies --envelope-from', () => {
    const raw = readFileSync(sample('good.eml'));
    const r = run(['lint', '--json', '--envelope-from', 'wwwrun@localhost', '-'], { input: raw });
    const rules = JSON.parse(r.stdout).files[0].findings.map((f: { rule: string }) => f.rule);
    expect(rules).toContain('envelope-sender-unroutable');
    expect(r.code).toBe(2);
  });
  it('exits 66 for a missing file and 64 for a bad option', () => {
    expect(run(['lint', join(ROOT, 'does-not-exist.eml')]).code).toBe(66);
    expect(run(['lint', '--bogus']).code).toBe(64);
  });
  it('--help per subcommand and --version', () => {
    expect(run(['lint', '--help']).stdout).toContain('Usage: mailhygiene lint');
    expect(run(['--help']).stdout).toContain('Commands:');
    expect(run(['--version']).stdout).toMatch(/^mailhygiene \d+\.\d+\.\d+/);
    expect(run(['nope']).code).toBe(64);
  });
});

describe('mailhygiene lint: the Date of a stored message', () => {
  const findings = (r: { stdout: string }) =>
    JSON.parse(r.stdout).files[0].findings as Array<{ rule: string; message: string }>;
  const rulesOf = (r: { stdout: string }) => findings(r).map((f) => f.rule);
  // good.eml is dated Sun, 29 Nov 2026 13:40:00 +0000.

  it('is not judged by its age by default (a file written last week is not wrong)', async () => {
    const r = await call(['lint', '--json', '--strict', sample('good.eml')]);
    expect(r.code).toBe(0);
    expect(rulesOf(r)).not.toContain('date-skew');
  });
  it('--now TIME judges it against TIME (RFC 3339 or RFC 5322, with a zone)', async () => {
    const late = await call([
      'lint',
      '--json',
      '--now',
      '2026-12-04T13:40:00Z',
      sample('good.eml'),
    ]);
    expect(late.code).toBe(0);
    const skew = findings(late).find((f) => f.rule === 'date-skew');
    expect(skew?.message).toContain('120 h in the past');
    const sameDay = await call(
      ['lint', '--json', '--now', 'Sun, 29 Nov 2026 15:00:00 +0000', '-'],
      readFileSync(sample('good.eml')),
    );
    expect(rulesOf(sameDay)).not.toContain('date-skew');
    const offset = await call([
      'lint',
      '--json',
      '--now',
      '2026-11-29T10:40:00-05:00',
      sample('good.eml'),
    ]);
    expect(rulesOf(offset)).not.toContain('date-skew');
  });
  it('--date-skew judges it against the current time', async () => {
    // Year 9999: in the future whatever day the test runs.
    const raw = readFileSync(sample('good.eml'), 'latin1').replace(
      'Date: Sun, 29 Nov 2026 13:40:00 +0000',
      'Date: Fri, 31 Dec 9999 13:40:00 +0000',
    );
    const r = await call(['lint', '--json', '--date-skew', '-'], raw);
    expect(findings(r).find((f) => f.rule === 'date-skew')?.message).toMatch(/in the future/);
    expect(rulesOf(await call(['lint', '--json', '-'], raw))).not.toContain('date-skew');
  });
  it('a time without a zone, an unreadable time, or --rule date-skew without a time is a usage error', async () => {
    for (const now of ['2026-11-29T14:00:00', 'yesterday', '2026-13-40T00:00:00Z']) {
      const r = await call(['lint', '--now', now, sample('good.eml')]);
      expect(r.code, now).toBe(64);
      expect(r.stderr).toContain('--now');
    }
    const r = await call(['lint', '--rule', 'date-skew', sample('good.eml')]);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('--date-skew');
    const ok = await call([
      'lint',
      '--rule',
      'date-skew',
      '--now',
      '2026-11-29T14:00:00Z',
      sample('good.eml'),
    ]);
    expect(ok.code).toBe(0);
  });
});

describe('mailhygiene lint: input and options it cannot use', () => {
  it('an unknown --rule is a usage error naming it, not a clean report', async () => {
    const r = await call(['lint', '--rule', 'no-such-rule', sample('bad.eml')]);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain('unknown rule "no-such-rule"');
    expect(r.stderr).toContain('docs/HYGIENE-RULES.md');
    expect(r.stdout).toBe('');
  });
  it('empty standard input is no input (66), not a message without From', async () => {
    const r = await call(['lint'], '');
    expect(r.code).toBe(66);
    expect(r.stderr).toContain('no input: standard input is empty');
    expect(r.stdout).toBe('');
  });
  it('--help points to the rule catalogue shipped in the package', async () => {
    const help = (await call(['lint', '--help'])).stdout;
    expect(help).toContain('node_modules/mailhygiene/docs/HYGIENE-RULES.md');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('docs/HYGIENE-RULES.md');
  });
});

describe('the mailhygiene bin through a symlink (as npm links bins)', () => {
  it('runs: help, exit codes and output as when called directly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mh-bin-'));
    try {
      const link = join(dir, 'mailhygiene');
      symlinkSync(CLI, link);
      const help = run(['--help'], { bin: link });
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Commands:');
      const bad = run(['lint', sample('bad.eml')], { bin: link });
      expect(bad.code).toBe(2);
      expect(bad.stdout).toContain('missing-date');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('colour', () => {
  const io = (isTTY: boolean, env: Record<string, string>) => ({
    stdout: { write: () => true, isTTY },
    stderr: { write: () => true },
    stdin: (async function* () {})(),
    env,
  });
  it('only on a TTY, never with NO_COLOR or TERM=dumb', () => {
    expect(useColour(io(true, {}))).toBe(true);
    expect(useColour(io(false, {}))).toBe(false);
    expect(useColour(io(true, { NO_COLOR: '1' }))).toBe(false);
    expect(useColour(io(true, { TERM: 'dumb' }))).toBe(false);
  });
  it('formatReport emits ANSI codes only when asked', () => {
    const report = {
      findings: [
        { rule: 'missing-date' as const, severity: 'error' as const, message: 'No Date.' },
      ],
      errors: 1,
      warnings: 0,
    };
    expect(formatReport('m.eml', report, { colour: true })).toContain('\x1b[31m');
    expect(formatReport('m.eml', report, { colour: false })).not.toContain('\x1b[');
  });
});
