/**
 * The linear scanners that replaced backtracking regexes (issue 14): what they
 * read, and that they read it as the regexes did where those were right.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/lint/index.js';
import { htmlToPlain } from '../../src/lint/rules/content.js';
import { parseParams } from '../../src/read/mime-params.js';
import { repair } from '../../src/repair/repair.js';
import {
  blankQuotedStrings,
  commentEnd,
  isCfws,
  quotedEnd,
  skipCfws,
  stripComments,
} from '../../src/wire/cfws.js';
import { MailHygieneError } from '../../src/wire/errors.js';
import { MAX_MIME_PARTS } from '../../src/wire/limits.js';

const now = new Date('2026-01-01T00:00:30Z');
const HEAD =
  'From: a@example.org\r\nTo: b@example.org\r\nSubject: hi\r\nDate: Thu, 01 Jan 2026 00:00:00 +0000\r\n';
const rulesOf = (raw: string) => lint(raw, { now }).findings;

describe('comments and quoted strings (RFC 5322 §3.2.2, §3.2.4)', () => {
  it('removes nested comments whole, keeps quoted parentheses, runs an open comment to the end', () => {
    expect(stripComments('1.0 (made by (nested) X) ')).toBe('1.0  ');
    expect(stripComments('"(not a comment)" (one)')).toBe('"(not a comment)" ');
    expect(stripComments('a (b\\) c) d')).toBe('a  d');
    expect(stripComments('text/plain (open ( (')).toBe('text/plain ');
    expect(stripComments('a(x)b(y)c', ' ')).toBe('a b c');
    expect(stripComments('"open (quote')).toBe('"open (quote');
  });
  it('finds where a comment or quoted string ends, -1 when it never does', () => {
    expect(commentEnd('(a(b)c)d', 0)).toBe(7);
    expect(commentEnd('(a(b)c', 0)).toBe(-1);
    expect(quotedEnd('"a\\"b"c', 0)).toBe(6);
    expect(quotedEnd('"a\\"', 0)).toBe(-1);
  });
  it('skips CFWS and tells trailing CFWS from an open comment', () => {
    expect(skipCfws(' (a) (b)\r\n x', 0)).toBe(11);
    expect(isCfws(' (a (b)) ', 0)).toBe(true);
    expect(isCfws(' (a (b) ', 0)).toBe(false);
    expect(isCfws(' x', 0)).toBe(false);
  });
  it('blanks quoted strings exactly as the replaced regex did', () => {
    const old = (s: string) => s.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('"', '\\', 'a', ' ', '('), maxLength: 14 }),
        (s) => {
          expect(blankQuotedStrings(s)).toBe(old(s));
        },
      ),
      { numRuns: 3000 },
    );
  });
  it('reads nested comments in a MIME parameter value', () => {
    const p = parseParams('text/plain (a (b) c); charset=utf-8 (x (y))');
    expect(p.value).toBe('text/plain');
    expect(p.params.get('charset')).toBe('utf-8');
    expect(p.problems).toEqual([]);
  });
});

describe('HTML scanning', () => {
  it('strips tags and script/style/head blocks exactly as the replaced regexes did', () => {
    const old = (h: string) =>
      h.replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, ' ').replace(/<[^>]*>/g, ' ');
    const piece = fc.constantFrom(
      '<',
      '>',
      '/',
      ' ',
      'a',
      '<script',
      '</script>',
      '</SCRIPT >',
      '<style',
      '</style>',
      '<head>',
      '</head>',
      '<headx',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const h = parts.join('');
        expect(htmlToPlain(h)).toBe(old(h)); // no `&`: the entity step changes nothing
      }),
      { numRuns: 3000 },
    );
  });
  it('reads a numeric character reference past U+10FFFF as U+FFFD instead of throwing', () => {
    expect(htmlToPlain('a&#99999999;b&#65;')).toBe('a\ufffdbA');
    const raw = `${HEAD}Message-ID: <m@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>&#99999999;</p>\r\n`;
    expect(() => lint(raw, { now })).not.toThrow();
  });
  it('finds <meta charset> in the first tag that has one, after many open <meta', () => {
    const body = `${'<meta '.repeat(3)}charset="iso-8859-1"><p>x</p>`;
    const raw = `${HEAD}Message-ID: <m@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${body}\r\n`;
    const f = rulesOf(raw).find((x) => x.rule === 'charset-mismatch');
    expect(f?.message).toContain('iso-8859-1');
  });
});

describe('Q encoding (RFC 2047 §4.2)', () => {
  const problems = (subject: string) =>
    rulesOf(`${HEAD.replace('Subject: hi', `Subject: ${subject}`)}\r\nbody\r\n`)
      .filter((f) => f.rule === 'encoded-word-syntax')
      .map((f) => f.message);
  it('takes "=" only as the start of an escape, in linear time', () => {
    expect(problems('=?utf-8?q?K=C3=B6ln?=')).toEqual([]);
    expect(problems('=?utf-8?q?a=b?=').length).toBeGreaterThan(0);
    // 2^40 steps for the old class that held "=" too.
    expect(problems(`=?utf-8?q?${'=41'.repeat(40)} ?=`).length).toBeGreaterThan(0);
  });
});

describe('List-Unsubscribe comments (RFC 2369 §2)', () => {
  const listProblems = (v: string) =>
    rulesOf(`${HEAD}Message-ID: <m@example.org>\r\nList-Unsubscribe: ${v}\r\n\r\nbody\r\n`)
      .filter((f) => f.rule === 'list-unsubscribe')
      .map((f) => f.message);
  it('drops comments between URIs, keeps a "(" inside one', () => {
    expect(listProblems('<https://example.org/u?(> (one (nested))')).toEqual([]);
    expect(listProblems('<mailto:u@example.org> (open')).toEqual([]);
  });
});

describe('Message-ID with comments around it (RFC 5322 §3.6.4)', () => {
  const withId = (v: string) =>
    rulesOf(`${HEAD}Message-ID: ${v}\r\n\r\nbody\r\n`).some(
      (f) => f.rule === 'invalid-message-id' && f.message.includes('is not "<id-left@id-right>"'),
    );
  it('accepts closed comments before and after, refuses an open one', () => {
    expect(withId('<m.0123456789abcdef@example.org> (sent by (x))')).toBe(false);
    expect(withId('(c) <m.0123456789abcdef@example.org>')).toBe(false);
    expect(withId('<m.0123456789abcdef@example.org> (open')).toBe(true);
    expect(withId('<m.0123456789abcdef@example.org> x')).toBe(true);
  });
});

describe('MAX_MIME_PARTS', () => {
  const multipart = (n: number) =>
    `${HEAD}Message-ID: <m@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n${'--b\r\n\r\nx\r\n'.repeat(n)}--b--\r\n`;
  it('lint reads at most MAX_MIME_PARTS parts and says so', () => {
    const report = lint(multipart(MAX_MIME_PARTS + 5), { now });
    expect(
      report.findings.some((f) => f.message.includes(`more than ${MAX_MIME_PARTS} MIME parts`)),
    ).toBe(true);
    expect(
      lint(multipart(10), { now }).findings.some((f) => f.message.includes('MIME parts')),
    ).toBe(false);
  });
  it('repair refuses a message over the limit with a typed error', async () => {
    const e = await repair(multipart(MAX_MIME_PARTS + 5), { now: () => now }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(MailHygieneError);
    expect((e as MailHygieneError).code).toBe('REPAIR_REFUSED');
    expect((e as MailHygieneError).field).toBe('mime-too-many-parts');
  });
});
