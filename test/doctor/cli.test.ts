import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runDoctorCommand } from '../../src/tools/cli/doctor-command.js';
import { goodZone, HELO, IP, type Keys, scenarios } from '../fixtures/dns/zones.js';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { makeKeys } from './keys.js';

const keys: Keys = makeKeys();
let dns: TestDnsServer;
let keyFile: string;

beforeAll(async () => {
  dns = await startDnsServer(goodZone(keys));
  keyFile = join(mkdtempSync(join(tmpdir(), 'mh-doctor-')), 'dkim.pem');
  writeFileSync(keyFile, keys.privatePem);
});
afterAll(async () => {
  await dns.close();
});

function sink(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(Buffer.from(chunk));
      cb();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function run(args: string[], opts: { isTTY?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const out = sink();
  const err = sink();
  const code = await runDoctorCommand(args, {
    stdout: Object.assign(out.stream, { isTTY: opts.isTTY ?? false }),
    stderr: err.stream,
    env: opts.env ?? {},
  });
  return { code, stdout: out.text(), stderr: err.text() };
}

const baseArgs = () => [
  '--helo',
  HELO,
  '--ip',
  IP,
  '--envelope-from',
  'bounces@example.com',
  '--from',
  'news@example.com',
  '--dkim-selector',
  's1',
  '--dkim-key',
  keyFile,
  '--dns-server',
  dns.server,
  '--timeout',
  '2000',
];

describe('mailhygiene doctor', () => {
  test('good setup: exit 0, every line PASS, no colour without a TTY', async () => {
    dns.setZone(goodZone(keys));
    const r = await run(baseArgs());
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(
      'mail.example.com sending as bounces@example.com / From news@example.com: 0 failures, 0 warnings, 22 passed',
    );
    expect(r.stdout).toMatch(/^ {2}Passed \(22\)$/m);
    expect(r.stdout).toMatch(
      /^ {4}helo-fqdn {2}HELO mail\.example\.com is a fully-qualified domain name$/m,
    );
    expect(r.stdout).toMatch(/^ {4}dkim-key-match {2}/m);
    expect(r.stdout).not.toMatch(/Warnings|Failures/);
    expect(r.stdout).not.toContain('\x1b[');
  });

  test('warnings only: exit 1, with the why and the fix', async () => {
    const s = scenarios(keys).find((x) => x.name === 'lower-priority backup MX');
    dns.setZone(s?.zone ?? {});
    const r = await run(baseArgs());
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^ {2}Warnings \(1\)\n {4}envelope-mx-layout\n {6}.*backup MX.*\n {6}fix: Give all MX records the same preference/m,
    );
    expect(r.stdout).not.toMatch(/Failures/);
  });

  test('failures: exit 2', async () => {
    const s = scenarios(keys).find((x) => x.name === 'DKIM key mismatch');
    dns.setZone(s?.zone ?? {});
    const r = await run(baseArgs());
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(
      /^ {2}Failures \(1\)\n {4}dkim-key-match\n {6}the private key does not match/m,
    );
  });

  test('--json prints the report object', async () => {
    const s = scenarios(keys).find((x) => x.name === 'no PTR');
    dns.setZone(s?.zone ?? {});
    const r = await run([...baseArgs(), '--json']);
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as {
      checks: Array<{ id: string; status: string }>;
      failures: number;
    };
    expect(report.checks.find((c) => c.id === 'ptr-exists')?.status).toBe('fail');
    expect(report.failures).toBe(report.checks.filter((c) => c.status === 'fail').length);
  });

  test('colour on a TTY, none with NO_COLOR', async () => {
    dns.setZone(goodZone(keys));
    expect((await run(baseArgs(), { isTTY: true })).stdout).toContain('\x1b[32mPassed (22)');
    expect((await run(baseArgs(), { isTTY: true, env: { TERM: 'dumb' } })).stdout).not.toContain(
      '\x1b[',
    );
    expect((await run(baseArgs(), { isTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toContain(
      '\x1b[',
    );
  });

  test('usage errors exit 64 with the usage on stderr', async () => {
    const missing = await run(['--helo', HELO]);
    expect(missing.code).toBe(64);
    expect(missing.stderr).toContain('missing --envelope-from, --from');
    expect(missing.stderr).toContain('Usage: mailhygiene doctor');
    expect((await run([...baseArgs(), '--bogus'])).code).toBe(64);
    expect((await run([...baseArgs(), '--timeout', 'soon'])).code).toBe(64);
    expect((await run([...baseArgs(), '--ip', 'nope'])).code).toBe(64);
    expect((await run([...baseArgs(), '--dns-server', 'not a server'])).code).toBe(64);
  });

  test('unreadable key file exits 66', async () => {
    const r = await run([
      ...baseArgs().slice(0, -6),
      '--dkim-key',
      '/nonexistent/key.pem',
      '--dns-server',
      dns.server,
    ]);
    expect(r.code).toBe(66);
  });

  test('--help prints usage and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--dns-server');
    // Every exit status the command can return, 66 (unreadable key file) included.
    expect(r.stdout).toMatch(/Exit status:.*\b64 usage error, 66 unreadable --dkim-key file/);
  });
});
