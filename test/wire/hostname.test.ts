/**
 * The one host name check (issue 16): what each former regex accepted, the
 * same answers from isHostname, and the edges of RFC 1035 §2.3.4.
 */
import { describe, expect, it } from 'vitest';
import { doctor } from '../../src/tools/doctor/index.js';
import { isValidDomainSpec } from '../../src/tools/doctor/spf-parse.js';
import { isHostname } from '../../src/wire/index.js';
import { MAX_DOMAIN, MAX_LABEL } from '../../src/wire/limits.js';

const label = (n: number) => 'a'.repeat(n);
/** A name of exactly `n` octets made of 63-octet labels. */
function nameOf(n: number): string {
  const parts: string[] = [];
  let left = n;
  while (left > MAX_LABEL + 1) {
    parts.push(label(MAX_LABEL));
    left -= MAX_LABEL + 1;
  }
  parts.push(label(left));
  return parts.join('.');
}

describe('isHostname', () => {
  it('takes letters, digits and inner hyphens in any case', () => {
    expect(isHostname('Mail-1.Example.ORG')).toBe(true);
    expect(isHostname('localhost')).toBe(true);
    for (const bad of [
      '',
      '-a.example',
      'a-.example',
      'a..b',
      '.a',
      'a.',
      'a_b.example',
      'ä.example',
    ])
      expect(isHostname(bad), bad).toBe(false);
  });
  it('holds labels to 63 octets and names to 253 (RFC 1035 §2.3.4)', () => {
    expect(isHostname(`${label(MAX_LABEL)}.example`)).toBe(true);
    expect(isHostname(`${label(MAX_LABEL + 1)}.example`)).toBe(false);
    expect(nameOf(MAX_DOMAIN)).toHaveLength(MAX_DOMAIN);
    expect(isHostname(nameOf(MAX_DOMAIN))).toBe(true);
    expect(isHostname(nameOf(MAX_DOMAIN + 1))).toBe(false);
  });
  it('allows underscores only when asked (RFC 2181 §11)', () => {
    expect(isHostname('_dmarc.example.org')).toBe(false);
    expect(isHostname('_dmarc.example.org', { underscore: true })).toBe(true);
    expect(isHostname('sel_1_', { underscore: true })).toBe(true);
  });
  it('asks two labels and a TLD that is not all digits when qualified (RFC 3696 §2)', () => {
    expect(isHostname('mail', { qualified: true })).toBe(false);
    expect(isHostname('10.0.0.1', { qualified: true })).toBe(false);
    expect(isHostname('mail.example.org', { qualified: true })).toBe(true);
  });
  it('is linear on hostile input', () => {
    const start = performance.now();
    for (let i = 0; i < 200; i++) isHostname(`${'a-'.repeat(50_000)}!`);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});

describe('the former sites keep their answers', () => {
  it('SPF domain-spec: underscores in labels, a host name TLD with a letter', () => {
    expect(isValidDomainSpec('_spf.example.com')).toBe(true);
    expect(isValidDomainSpec('example.com.')).toBe(true);
    expect(isValidDomainSpec('example.c_m')).toBe(false);
    expect(isValidDomainSpec('example.123')).toBe(false);
    expect(isValidDomainSpec('com')).toBe(false);
    expect(isValidDomainSpec(`${label(64)}.com`)).toBe(false);
  });
  it('doctor refuses an address whose domain is not a host name, before any DNS query', async () => {
    for (const envelopeFrom of [
      'b@-bad-.example.com',
      `b@${label(64)}.example.com`,
      'b@example.123',
    ]) {
      await expect(
        doctor({ helo: 'mail.example.com', envelopeFrom, from: 'n@example.com' }),
      ).rejects.toMatchObject({ code: 'INVALID_OPTIONS', field: 'envelopeFrom' });
    }
  });
});
