import { Resolver } from 'node:dns/promises';
import { spf as mailauthSpf } from 'mailauth/lib/spf';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDoctorResolver } from '../../src/tools/doctor/resolver.js';
import { checkHost, expandMacros, inCidr } from '../../src/tools/doctor/spf-eval.js';
import { parseSpf } from '../../src/tools/doctor/spf-parse.js';
import { startDnsServer, type TestDnsServer, type Zone } from '../support/dns-server.js';

let dns: TestDnsServer;
beforeAll(async () => {
  dns = await startDnsServer();
});
afterAll(async () => {
  await dns.close();
});

const base: Zone = {
  'mx1.example.com': { A: ['192.0.2.20'] },
  'host.example.com': { A: ['192.0.2.33'], AAAA: ['2001:db8::33'] },
  'ok.example.net': { TXT: ['v=spf1 ip4:198.51.100.0/24 -all'] },
  'other.example.net': { TXT: ['v=spf1 ip4:203.0.113.0/24 -all'] },
  'nospf.example.net': { A: ['192.0.2.1'] },
  '192.0.2.10._spf.example.com': { A: ['127.0.0.2'] },
};

interface Case {
  name: string;
  record: string | string[];
  ip: string;
  extra?: Zone;
  want: string;
}

const tenA = Array.from({ length: 10 }, () => 'a:host.example.com').join(' ');

const cases: Case[] = [
  { name: 'ip4 match', record: 'v=spf1 ip4:192.0.2.0/24 -all', ip: '192.0.2.10', want: 'pass' },
  {
    name: 'ip4 host bits ignored in network',
    record: 'v=spf1 ip4:192.0.2.77/25 -all',
    ip: '192.0.2.10',
    want: 'pass',
  },
  { name: '-all', record: 'v=spf1 ip4:198.51.100.1 -all', ip: '192.0.2.10', want: 'fail' },
  { name: '~all', record: 'v=spf1 ip4:198.51.100.1 ~all', ip: '192.0.2.10', want: 'softfail' },
  { name: '?all', record: 'v=spf1 ?all', ip: '192.0.2.10', want: 'neutral' },
  { name: 'no all: neutral', record: 'v=spf1 ip4:198.51.100.1', ip: '192.0.2.10', want: 'neutral' },
  { name: 'no record', record: [], ip: '192.0.2.10', want: 'none' },
  {
    name: 'include pass',
    record: 'v=spf1 include:ok.example.net -all',
    ip: '198.51.100.7',
    want: 'pass',
  },
  {
    name: 'include fail falls through',
    record: 'v=spf1 include:other.example.net ~all',
    ip: '198.51.100.7',
    want: 'softfail',
  },
  {
    name: 'include without SPF is permerror',
    record: 'v=spf1 include:nospf.example.net -all',
    ip: '198.51.100.7',
    want: 'permerror',
  },
  { name: 'redirect', record: 'v=spf1 redirect=ok.example.net', ip: '198.51.100.7', want: 'pass' },
  {
    name: 'redirect fail',
    record: 'v=spf1 redirect=ok.example.net',
    ip: '192.0.2.10',
    want: 'fail',
  },
  {
    name: 'redirect to no SPF',
    record: 'v=spf1 redirect=nospf.example.net',
    ip: '192.0.2.10',
    want: 'permerror',
  },
  {
    name: 'a with cidr',
    record: 'v=spf1 a:host.example.com/24 -all',
    ip: '192.0.2.10',
    want: 'pass',
  },
  {
    name: 'a exact miss',
    record: 'v=spf1 a:host.example.com -all',
    ip: '192.0.2.10',
    want: 'fail',
  },
  {
    name: 'bare a uses the domain',
    record: 'v=spf1 a -all',
    ip: '192.0.2.80',
    extra: { 'example.com': { A: ['192.0.2.80'] } },
    want: 'pass',
  },
  {
    name: 'mx',
    record: 'v=spf1 mx -all',
    ip: '192.0.2.20',
    extra: { 'example.com': { MX: [{ priority: 10, exchange: 'mx1.example.com' }] } },
    want: 'pass',
  },
  { name: 'ip6 match', record: 'v=spf1 ip6:2001:db8::/32 -all', ip: '2001:db8::1', want: 'pass' },
  {
    name: 'ip6 and a//64',
    record: 'v=spf1 a:host.example.com//64 -all',
    ip: '2001:db8::99',
    want: 'pass',
  },
  {
    name: 'ip4 does not match ip6 client',
    record: 'v=spf1 ip4:0.0.0.0/0 -all',
    ip: '2001:db8::1',
    want: 'fail',
  },
  {
    name: 'exists with %{i} macro',
    record: 'v=spf1 exists:%{i}._spf.example.com -all',
    ip: '192.0.2.10',
    want: 'pass',
  },
  {
    name: 'exists miss',
    record: 'v=spf1 exists:%{i}._spf.example.com -all',
    ip: '192.0.2.11',
    want: 'fail',
  },
  {
    name: 'two SPF records',
    record: ['v=spf1 -all', 'v=spf1 +all'],
    ip: '192.0.2.10',
    want: 'permerror',
  },
  {
    name: 'syntax error',
    record: 'v=spf1 ip4:192.0.2.300 -all',
    ip: '192.0.2.10',
    want: 'permerror',
  },
  { name: 'unknown mechanism', record: 'v=spf1 foo:bar -all', ip: '192.0.2.10', want: 'permerror' },
  {
    name: 'unknown modifier ignored',
    record: 'v=spf1 moo=bar ip4:192.0.2.10 -all',
    ip: '192.0.2.10',
    want: 'pass',
  },
  {
    name: 'three void lookups',
    record: 'v=spf1 a:v1.example.org a:v2.example.org a:v3.example.org -all',
    ip: '192.0.2.10',
    want: 'permerror',
  },
  {
    name: 'exactly ten lookups',
    record: `v=spf1 ${tenA} ip4:192.0.2.10 -all`,
    ip: '192.0.2.10',
    want: 'pass',
  },
  {
    name: 'eleven lookups',
    record: `v=spf1 ${tenA} a:host.example.com ip4:192.0.2.10 -all`,
    ip: '192.0.2.10',
    want: 'permerror',
  },
];

describe('SPF check_host() agrees with mailauth (independent implementation)', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const records = Array.isArray(c.record) ? c.record : [c.record];
      const zone: Zone = { ...base, ...c.extra };
      zone['example.com'] = {
        ...zone['example.com'],
        TXT: records,
        A: zone['example.com']?.A ?? ['192.0.2.80'],
      };
      dns.setZone(zone);
      const ours = await checkHost(
        createDoctorResolver({ servers: [dns.server], timeoutMs: 2000 }),
        {
          ip: c.ip,
          sender: 'bounces@example.com',
          helo: 'mail.example.com',
        },
      );
      const r = new Resolver({ timeout: 2000, tries: 1 });
      r.setServers([dns.server]);
      const theirs = await mailauthSpf({
        sender: 'bounces@example.com',
        ip: c.ip,
        helo: 'mail.example.com',
        mta: 'mx.test.example',
        resolver: (name, type) => r.resolve(name, type),
      });
      expect({ ours: ours.result, mailauth: theirs.status.result }).toEqual({
        ours: c.want,
        mailauth: c.want,
      });
    });
  }
});

describe('SPF parser', () => {
  test('mechanisms, qualifiers, cidr and modifiers', () => {
    const r = parseSpf(
      'v=spf1 +a/24//64 -mx:mail.example.com ~ip4:192.0.2.0/24 ?ip6:2001:db8::/32 redirect=_spf.example.com',
    );
    expect(r.ok && r.record.mechanisms.map((m) => [m.kind, m.qualifier])).toEqual([
      ['a', '+'],
      ['mx', '-'],
      ['ip4', '~'],
      ['ip6', '?'],
    ]);
    expect(r.ok && r.record.redirect).toBe('_spf.example.com');
  });

  test.each([
    'v=spf1 ip4:1.2.3.4/33',
    'v=spf1 include',
    'v=spf1 redirect=a.example redirect=b.example',
    'v=spf1 all:foo',
    'v=spf1 ip6:192.0.2.1',
    'v=spf1 a:foo',
    'v=spf10 -all',
  ])('rejects %s', (text) => {
    expect(parseSpf(text).ok).toBe(false);
  });
});

describe('SPF helpers', () => {
  test('macro expansion (RFC 7208 §7.4 examples)', () => {
    const ctx = { ip: '192.0.2.3', sender: 'strong-bad@email.example.com', helo: 'mx.example.org' };
    expect(expandMacros('%{s}', ctx, 'email.example.com')).toBe('strong-bad@email.example.com');
    expect(expandMacros('%{o}', ctx, 'email.example.com')).toBe('email.example.com');
    expect(expandMacros('%{d4}', ctx, 'email.example.com')).toBe('email.example.com');
    expect(expandMacros('%{d2}', ctx, 'email.example.com')).toBe('example.com');
    expect(expandMacros('%{d1}', ctx, 'email.example.com')).toBe('com');
    expect(expandMacros('%{dr}', ctx, 'email.example.com')).toBe('com.example.email');
    expect(expandMacros('%{d2r}', ctx, 'email.example.com')).toBe('example.email');
    expect(expandMacros('%{l}', ctx, 'email.example.com')).toBe('strong-bad');
    expect(expandMacros('%{l-}', ctx, 'email.example.com')).toBe('strong.bad');
    expect(expandMacros('%{lr-}', ctx, 'email.example.com')).toBe('bad.strong');
    expect(expandMacros('%{l1r-}', ctx, 'email.example.com')).toBe('strong');
    expect(expandMacros('%{ir}.%{v}._spf.%{d2}', ctx, 'email.example.com')).toBe(
      '3.2.0.192.in-addr._spf.example.com',
    );
    const v6 = { ...ctx, ip: '2001:db8::cb01' };
    expect(expandMacros('%{ir}.%{v}._spf.%{d2}', v6, 'email.example.com')).toBe(
      '1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com',
    );
  });

  test('CIDR matching', () => {
    expect(inCidr('192.0.2.130', '192.0.2.128', 25)).toBe(true);
    expect(inCidr('192.0.2.127', '192.0.2.128', 25)).toBe(false);
    expect(inCidr('2001:db8:0:1::5', '2001:db8::', 48)).toBe(true);
    expect(inCidr('2001:db9::5', '2001:db8::', 32)).toBe(false);
    expect(inCidr('192.0.2.1', '0.0.0.0', 0)).toBe(true);
  });
});
