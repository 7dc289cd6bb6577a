import { describe, expect, test } from 'vitest';
import { alignedRelaxed } from '../../src/compose/dkim/align.js';
import { publicKeyFromRecord } from '../../src/tools/doctor/dkim-record.js';
import { parseDmarc } from '../../src/tools/doctor/dmarc.js';
import { dynamicReason, embedsIp } from '../../src/tools/doctor/helo-ptr.js';
import { expandIPv6, reverseName, sameIp } from '../../src/tools/doctor/resolver.js';
import { parseTagList } from '../../src/tools/doctor/tag-list.js';

describe('dynamic-looking PTR names', () => {
  test.each([
    ['dyn.example.net', 'dyn'],
    ['host-4.dhcp.isp.example', 'dhcp'],
    ['pool-71-2-3-4.example.net', 'pool'],
    ['adsl-1.example.net', 'adsl'],
    ['cable-modem.example.net', 'cable'],
    ['ppp-7.example.net', 'ppp'],
  ])('%s contains %s', (name, word) => {
    expect(dynamicReason(name)?.word?.toLowerCase()).toBe(word);
  });

  test.each([
    'mail.example.com',
    'mx1.dynamo-shop.example',
    'smtp.poolside.example',
    'client.example.com',
  ])('%s is not dynamic', (name) => {
    expect(dynamicReason(name, '192.0.2.10')).toBeUndefined();
  });

  test('IP octets in the name, forward, reversed or hex', () => {
    expect(embedsIp('192-0-2-10.static.example.net', '192.0.2.10')).toBe(true);
    expect(embedsIp('10.2.0.192.rev.example.net', '192.0.2.10')).toBe(true);
    expect(embedsIp('host-c000020a.example.net', '192.0.2.10')).toBe(true);
    expect(embedsIp('mail10.example.net', '192.0.2.10')).toBe(false);
  });
});

describe('reverse names and addresses', () => {
  test('in-addr.arpa and nibble ip6.arpa', () => {
    expect(reverseName('192.0.2.10')).toBe('10.2.0.192.in-addr.arpa');
    expect(reverseName('2001:db8::1')).toBe(
      '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa',
    );
  });

  test('IPv6 expansion and comparison', () => {
    expect(expandIPv6('::1')).toBe('0000:0000:0000:0000:0000:0000:0000:0001');
    expect(expandIPv6('::ffff:192.0.2.1')).toBe('0000:0000:0000:0000:0000:ffff:c000:0201');
    expect(sameIp('2001:DB8::1', '2001:db8:0:0::1')).toBe(true);
    expect(sameIp('192.0.2.1', '192.0.2.10')).toBe(false);
  });
});

describe('alignment', () => {
  test.each([
    ['example.com', 'example.com', true],
    ['mail.example.com', 'example.com', true],
    ['example.com', 'news.example.com', true],
    ['a.example.com', 'b.example.com', true],
    ['example.net', 'example.com', false],
    ['com', 'example.com', false],
    ['co.uk', 'example.co.uk', false],
    ['other.co.uk', 'example.co.uk', false],
    // Public Suffix List, private section: two GitHub Pages users are two organisations.
    ['a.alice.github.io', 'alice.github.io', true],
    ['alice.github.io', 'bob.github.io', false],
    ['github.io', 'alice.github.io', false],
    ['shop.example.ltd.uk', 'example.ltd.uk', true],
    ['192.0.2.1', '192.0.2.1', false],
  ])('%s ~ %s → %s', (a, b, want) => {
    expect(alignedRelaxed(a, b)).toBe(want);
  });
});

describe('DMARC record parser', () => {
  test('defaults and tags', () => {
    expect(
      parseDmarc('v=DMARC1; p=quarantine; pct=50; rua=mailto:d@example.com; aspf=s'),
    ).toMatchObject({
      p: 'quarantine',
      pct: 50,
      aspf: 's',
      adkim: 'r',
      rua: ['mailto:d@example.com'],
    });
  });

  test.each([
    'p=reject; v=DMARC1',
    'v=DMARC1',
    'v=DMARC1; p=block',
    'v=DMARC1; p=none; pct=150',
    'v=DMARC1; p=none; adkim=x',
    'v=DMARC1; p=none; rua=dmarc@example.com',
  ])('rejects %s', (text) => {
    expect(typeof parseDmarc(text)).toBe('string');
  });
});

describe('DKIM key records', () => {
  test('tag lists strip whitespace and refuse duplicates', () => {
    expect(parseTagList('v=DKIM1; k=rsa;\t p=AB CD')?.get('p')).toBe('ABCD');
    expect(parseTagList('p=a; p=b')).toBeUndefined();
  });

  test('garbage p= is explained, not thrown', () => {
    expect(typeof publicKeyFromRecord('rsa', 'bm90IGEga2V5')).toBe('string');
    expect(publicKeyFromRecord('ed25519', Buffer.alloc(31).toString('base64'))).toMatch(
      /32 octets/,
    );
  });
});
