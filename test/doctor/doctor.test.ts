import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type DoctorReport,
  doctor,
  exitCodeOf,
  formatReport,
} from '../../src/tools/doctor/index.js';
import { MailHygieneError } from '../../src/wire/errors.js';
import { goodOptions, goodZone, type Keys, scenarios } from '../fixtures/dns/zones.js';
import { startDnsServer, type TestDnsServer } from '../support/dns-server.js';
import { makeKeys } from './keys.js';

const keys: Keys = makeKeys();
let dns: TestDnsServer;

beforeAll(async () => {
  dns = await startDnsServer();
});
afterAll(async () => {
  await dns.close();
});

const resolver = () => ({ servers: [dns.server], timeoutMs: 2000 });

describe('doctor verdicts per zone', () => {
  for (const s of scenarios(keys)) {
    test(s.name, async () => {
      dns.setZone(s.zone);
      const report = await doctor({ ...s.options, resolver: resolver() });
      const got = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
      // every expected verdict is present …
      for (const [id, status] of Object.entries(s.expect))
        expect({ id, status: got[id] }).toEqual({ id, status });
      // … and everything else passes
      for (const c of report.checks) {
        if (c.id in s.expect || s.anyStatus?.includes(c.id)) continue;
        expect({ id: c.id, status: c.status, message: c.message }).toMatchObject({
          id: c.id,
          status: 'pass',
        });
      }
      expect(report.failures).toBe(report.checks.filter((c) => c.status === 'fail').length);
      expect(report.warnings).toBe(report.checks.filter((c) => c.status === 'warn').length);
      for (const c of report.checks) {
        expect(c.message.length).toBeGreaterThan(0);
        if (c.status === 'fail') expect(c.fix, `${c.id} needs a fix`).toBeTruthy();
      }
    });
  }
});

describe('doctor: the good setup in detail', () => {
  test('runs every check family and passes all', async () => {
    dns.setZone(goodZone(keys));
    const report = await doctor({ ...goodOptions(keys), resolver: resolver() });
    expect(report.checks.map((c) => c.id)).toEqual([
      'helo-fqdn',
      'helo-resolves',
      'helo-ip',
      'ptr-exists',
      'ptr-fcrdns',
      'ptr-helo',
      'ptr-dynamic',
      'envelope-mx',
      'envelope-mx-hosts',
      'envelope-mx-layout',
      'spf-record',
      'spf-syntax',
      'spf-lookups',
      'spf-result',
      'dkim-record',
      'dkim-key',
      'dkim-key-match',
      'dmarc-record',
      'dmarc-policy',
      'dmarc-spf-alignment',
      'dmarc-dkim-alignment',
      'dmarc-aligned',
    ]);
    expect(report.failures).toBe(0);
    expect(report.warnings).toBe(0);
    const spf = report.checks.find((c) => c.id === 'spf-result');
    expect(spf?.message).toContain('ip4:192.0.2.0/28');
  });

  test('an Ed25519 selector record is read and matched', async () => {
    const ed = generateKeyPairSync('ed25519');
    const der = ed.publicKey.export({ type: 'spki', format: 'der' });
    dns.setZone({
      ...goodZone(keys),
      'ed._domainkey.example.com': {
        TXT: [`v=DKIM1; k=ed25519; p=${der.subarray(-32).toString('base64')}`],
      },
    });
    const report = await doctor({
      ...goodOptions(keys),
      dkim: {
        selector: 'ed',
        domain: 'example.com',
        privateKey: ed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
      resolver: resolver(),
    });
    expect(report.checks.filter((c) => c.id.startsWith('dkim')).map((c) => c.status)).toEqual([
      'pass',
      'pass',
      'pass',
    ]);
  });

  test('PTR is asked from DNS, not /etc/hosts (127.0.0.1 is listed there)', async () => {
    dns.setZone({
      ...goodZone(keys),
      'mail.example.com': { A: ['127.0.0.1'] },
      '1.0.0.127.in-addr.arpa': { PTR: ['mail.example.com'] },
    });
    dns.queries.length = 0;
    const report = await doctor({ ...goodOptions(keys), ip: '127.0.0.1', resolver: resolver() });
    expect(report.checks.find((c) => c.id === 'ptr-exists')?.message).toContain('mail.example.com');
    expect(report.checks.find((c) => c.id === 'ptr-fcrdns')?.status).toBe('pass');
    expect(dns.queries).toContain('PTR 1.0.0.127.in-addr.arpa');
  });

  test('IPv6 sending address: nibble PTR, AAAA forward lookup, ip6 SPF', async () => {
    const ip = '2001:db8::25';
    dns.setZone({
      ...goodZone(keys),
      'mail.example.com': { A: ['192.0.2.10'], AAAA: [ip] },
      '5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa': {
        PTR: ['mail.example.com'],
      },
    });
    const report = await doctor({ ...goodOptions(keys), ip, resolver: resolver() });
    expect(report.failures).toBe(0);
    expect(report.checks.find((c) => c.id === 'spf-result')?.message).toContain(
      'ip6:2001:db8::/32',
    );
  });

  test('without ip and dkim the skipped parts are reported as warnings', async () => {
    dns.setZone(goodZone(keys));
    const { ip: _ip, dkim: _dkim, ...rest } = goodOptions(keys);
    const report = await doctor({ ...rest, resolver: resolver() });
    const ids = report.checks.map((c) => c.id);
    expect(ids).not.toContain('spf-result');
    expect(ids).not.toContain('ptr-exists');
    expect(report.checks.find((c) => c.id === 'ip')?.status).toBe('warn');
    expect(report.checks.find((c) => c.id === 'dkim-record')?.status).toBe('warn');
    expect(report.failures).toBe(0);
  });

  test('SERVFAIL answers make checks unknown, neither failures nor passes', async () => {
    dns.setZone({ ...goodZone(keys), 'example.com': { SERVFAIL: true } });
    const report = await doctor({ ...goodOptions(keys), resolver: resolver() });
    expect(report.checks.find((c) => c.id === 'envelope-mx')?.status).toBe('unknown');
    expect(report.checks.find((c) => c.id === 'spf-record')?.status).toBe('unknown');
    expect(report.unknowns).toBe(report.checks.filter((c) => c.status === 'unknown').length);
    expect(exitCodeOf(report)).toBe(1);
  });

  test('an unreachable DNS server ends within the timeout budget with every DNS check unknown', async () => {
    const started = Date.now();
    const report = await doctor({
      ...goodOptions(keys),
      resolver: { servers: ['127.0.0.1:9'], timeoutMs: 300 },
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    expectNothingClaimedWithoutDns(report);
  });

  test('a DNS server that answers SERVFAIL to everything: unknown, never "missing" or pass', async () => {
    const everything = Object.fromEntries(
      Object.keys(goodZone(keys)).map((name) => [name, { SERVFAIL: true as const }]),
    );
    // the reverse name of the sending IP too
    const { ip } = goodOptions(keys);
    everything[`${ip!.split('.').reverse().join('.')}.in-addr.arpa`] = { SERVFAIL: true };
    dns.setZone(everything);
    expectNothingClaimedWithoutDns(await doctor({ ...goodOptions(keys), resolver: resolver() }));
  });

  test('a dns.promises.Resolver-like object can be injected', async () => {
    const calls: string[] = [];
    const fake = {
      resolve4: async (n: string) => {
        calls.push(`A ${n}`);
        return n === 'mail.example.com' ? ['192.0.2.10'] : [];
      },
      resolve6: async () => [],
      resolveMx: async () => [{ exchange: 'mail.example.com', priority: 10 }],
      resolveTxt: async (n: string) =>
        n === 'example.com'
          ? [['v=spf1 ', 'ip4:192.0.2.10 -all']]
          : n === '_dmarc.example.com'
            ? [['v=DMARC1; p=reject']]
            : [],
      resolvePtr: async () => ['mail.example.com'],
    };
    const report = await doctor({
      helo: 'mail.example.com',
      ip: '192.0.2.10',
      envelopeFrom: 'b@example.com',
      from: 'n@example.com',
      resolver: fake,
    });
    expect(calls).toContain('A mail.example.com');
    expect(report.checks.find((c) => c.id === 'spf-result')?.status).toBe('pass');
  });

  test('bad options are typed errors', async () => {
    await expect(doctor({ ...goodOptions(keys), ip: 'not-an-ip' })).rejects.toBeInstanceOf(
      MailHygieneError,
    );
    await expect(doctor({ ...goodOptions(keys), envelopeFrom: 'nobody' })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      field: 'envelopeFrom',
    });
  });
});

/** With DNS down nothing may be reported as missing or as passing, only as not checked. */
function expectNothingClaimedWithoutDns(report: DoctorReport): void {
  const status = (id: string) => report.checks.find((c) => c.id === id)?.status;
  for (const id of ['helo-resolves', 'ptr-exists', 'envelope-mx', 'spf-record', 'dkim-record']) {
    expect({ id, status: status(id) }).toEqual({ id, status: 'unknown' });
  }
  expect(status('dmarc-record')).toBe('unknown');
  expect(status('dmarc-aligned')).toBe('unknown');
  // only checks that need no DNS may pass (the HELO's syntax, the domains' alignment)
  const passed = report.checks.filter((c) => c.status === 'pass').map((c) => c.id);
  expect(
    passed.filter(
      (id) => !['helo-fqdn', 'dmarc-spf-alignment', 'dmarc-dkim-alignment'].includes(id),
    ),
  ).toEqual([]);
  expect(report.failures).toBe(0);
  const text = formatReport(report);
  expect(text).not.toMatch(/has no A\/AAAA record|Publish an A|has no PTR record/);
  expect(text).toMatch(/could not be checked: the DNS lookup of .* failed \(E?[A-Z]+\)/);
  expect(exitCodeOf(report)).toBe(1);
}
