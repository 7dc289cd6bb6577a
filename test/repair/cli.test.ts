import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/lint/index.js';
import { decodeWords } from '../../src/read/encoded-words.js';

const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'src/tools/cli/mailhygiene.ts');
const sample = (f: string) => join(ROOT, 'test/fixtures/samples', f);

function run(args: string[], input?: Buffer) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    input,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

describe('mailhygiene repair', () => {
  it('writes the repaired message to stdout and one line per change to stderr', () => {
    const r = run(['repair', sample('bad-latin1.eml')]);
    expect(r.code).toBe(0);
    expect(lint(r.stdout).errors).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines.map((l) => l.split(/[ :]/)[0])).toEqual(
      expect.arrayContaining([
        'bare-cr-or-lf',
        'missing-date',
        'subject-needs-encoding',
        'html-without-mime',
      ]),
    );
    // The location, written as text.
    expect(r.stderr).toMatch(/^subject-needs-encoding \[header Subject \(line 3\)\]: /m);
    expect(r.stderr).toMatch(/^missing-date \[header block\]: /m);
  });
  it('reads stdin with "-", writes -o, and reports JSON with --json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mh-repair-'));
    const out = join(dir, 'fixed.eml');
    const r = run(
      [
        'repair',
        '-',
        '-o',
        out,
        '--json',
        '--envelope-from',
        'bounce@example.com',
        '--sender',
        'wwwrun@web01',
      ],
      readFileSync(sample('nodate.eml')),
    );
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBe(0);
    expect(lint(readFileSync(out)).errors).toBe(0);
    const report = JSON.parse(r.stderr);
    expect(
      report.applied.find((a: { rule: string }) => a.rule === 'missing-date').location,
    ).toEqual({ part: '', area: 'header' });
    expect(report.envelope).toEqual({ from: 'bounce@example.com', to: ['nodate@oracle.test'] });
    expect(report.applied.map((a: { rule: string }) => a.rule)).toEqual(
      expect.arrayContaining(['missing-date', 'envelope-sender-unroutable']),
    );
  });
  it('exits 65 with the reason on a refusal and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mh-repair-'));
    const out = join(dir, 'fixed.eml');
    const r = run(['repair', sample('probe-injection-cr.eml'), '-o', out]);
    expect(r.code).toBe(65);
    // The reason once: "repair refused (bare-cr-in-header): …", not "REPAIR_REFUSED (…): repair refused (…): …".
    expect(r.stderr).toMatch(/^mailhygiene repair: repair refused \(bare-cr-in-header\): \S/);
    expect(r.stderr.split('bare-cr-in-header')).toHaveLength(2);
    expect(existsSync(out)).toBe(false);
  });
  it('empty input is no input (66), not a message to repair', () => {
    const r = run(['repair'], Buffer.alloc(0));
    expect(r.code).toBe(66);
    expect(r.stderr).toContain('no input: standard input is empty');
    expect(r.stdout.length).toBe(0);
  });
  it('--legacy-charset changes how non-UTF-8 bytes are read', () => {
    const msg = Buffer.from(
      'From: a@example.com\nTo: b@example.org\nSubject: \xb3\xf3d\xbc\n\nx\n',
      'latin1',
    );
    const r = run(['repair', '--legacy-charset', 'iso-8859-2'], msg);
    expect(r.code).toBe(0);
    // (repair.test.ts proves the decoding with Python; here only the flag matters)
    const subject = /^Subject: (.*)\r$/m.exec(r.stdout.toString('latin1'))![1]!;
    expect(decodeWords(subject)).toBe('łódź');
  });
  it('--help prints usage; bad flags and unreadable files have their own exit codes', () => {
    const help = run(['repair', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout.toString()).toContain('Usage: mailhygiene repair');
    expect(run(['repair', '--bogus']).code).toBe(64);
    expect(run(['repair', join(ROOT, 'no-such-file.eml')]).code).toBe(66);
  });
});
