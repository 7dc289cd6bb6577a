import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatReport } from '../../src/cli/format-report.js';
import { useColour } from '../../src/cli/io.js';

const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'src/cli/mailhygiene.ts');
const sample = (f: string) => join(ROOT, 'test/fixtures/samples', f);

function run(args: string[], opts: { input?: string | Buffer; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    input: opts.input,
    env: { ...process.env, NO_COLOR: '', ...opts.env },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
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
      findings: [{ rule: 'missing-date', severity: 'error' as const, message: 'No Date.' }],
      errors: 1,
      warnings: 0,
    };
    expect(formatReport('m.eml', report, { colour: true })).toContain('\x1b[31m');
    expect(formatReport('m.eml', report, { colour: false })).not.toContain('\x1b[');
  });
});
