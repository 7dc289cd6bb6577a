/**
 * The organisational domain (RFC 7489 §3.2) from the Public Suffix List, both
 * sections. Before: lint guessed `ltd.uk` and DKIM/doctor `example.ltd.uk` for
 * `shop.example.ltd.uk`, and both put every GitHub Pages user in `github.io`.
 */
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/lint/index.js';
import { organizationalDomain, registrableDomain } from '../../src/wire/index.js';
import { loadsPackage } from '../support/fresh-process.js';

describe('organizationalDomain', () => {
  it.each([
    ['shop.example.ltd.uk', 'example.ltd.uk'],
    ['a.b.github.io', 'b.github.io'],
    ['example.co.uk', 'example.co.uk'],
    ['mail.news.example.com', 'example.com'],
    ['example.com', 'example.com'],
    ['Mail.Example.COM.', 'example.com'],
    // An unknown top-level domain is a one-label suffix (the list's implicit `*` rule).
    ['a.b.example.unknowntld', 'example.unknowntld'],
    // IDN: U-labels and A-labels are one domain, in A-labels.
    ['shop.bücher.de', 'xn--bcher-kva.de'],
    ['shop.xn--bcher-kva.de', 'xn--bcher-kva.de'],
    ['www.例子.中国', 'xn--fsqu00a.xn--fiqs8s'],
  ])('%s → %s', (domain, org) => {
    expect(organizationalDomain(domain)).toBe(org);
    expect(registrableDomain(domain)).toBe(org);
  });

  it.each([
    'com',
    'co.uk',
    'ltd.uk',
    'github.io',
    'localhost',
    '192.0.2.1',
    '[192.0.2.1]',
    '[IPv6:2001:db8::1]',
    '',
  ])('%j has no registrable domain and is its own organisation', (domain) => {
    expect(registrableDomain(domain)).toBeUndefined();
    expect(organizationalDomain(domain)).toBe(domain.toLowerCase());
  });
});

describe('lint alignment uses the Public Suffix List', () => {
  const msg = (from: string) =>
    [
      `From: Shop <${from}>`,
      'To: max@example.org',
      'Subject: Your order',
      'Date: Fri, 04 Dec 2026 10:00:00 +0000',
      `Message-ID: <1@${from.split('@')[1]}>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      'Thank you for your order.',
      '',
    ].join('\r\n');
  const misaligned = (from: string, envFrom: string) =>
    lint(msg(from), {
      envelope: { from: envFrom, to: ['max@example.org'] },
      now: new Date('2026-12-04T10:00:00Z'),
    }).findings.some((f) => f.rule === 'header-envelope-misaligned');

  it('a bounce address under the same registrable domain aligns', () => {
    expect(misaligned('orders@shop.example.ltd.uk', 'bounces@example.ltd.uk')).toBe(false);
    expect(misaligned('me@blog.alice.github.io', 'bounces@alice.github.io')).toBe(false);
  });
  it('two registrants under one public suffix do not align', () => {
    // Formerly both were "ltd.uk" / "github.io" to lint, so these passed as aligned.
    expect(misaligned('orders@example.ltd.uk', 'bounces@other.ltd.uk')).toBe(true);
    expect(misaligned('me@alice.github.io', 'bounces@bob.github.io')).toBe(true);
  });
});

describe('the sendmail shim does not pay for the list', () => {
  /** Runs repair() in a fresh process; true when it loaded tldts. */
  function repairLoadsList(from: string, envFrom: string): boolean {
    return loadsPackage(
      `import { repair } from './src/repair/index.ts';
      const mail = 'To: erika@example.org\\nSubject: Bestellung\\nFrom: Shop <${from}>\\n\\nHallo\\n';
      await repair(Buffer.from(mail), { envelope: { from: '${envFrom}', to: ['erika@example.org'] } });`,
      'tldts',
    );
  }

  it('repair of a PHP mail whose bounce domain is the From domain never loads tldts', () => {
    expect(repairLoadsList('shop@example.com', 'bounces@example.com')).toBe(false);
  });
  it('(and the check above can fail: a subdomain bounce address needs the list)', () => {
    expect(repairLoadsList('shop@example.com', 'bounces@mail.example.com')).toBe(true);
  });
});
