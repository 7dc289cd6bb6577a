/**
 * The legacy-charset corpus (test/fixtures/legacy, written by generate.py with
 * Python's codecs): every message is repaired and Python's email package, with
 * its own codecs, must read exactly the original text in the subject, the
 * From display name, the body and the attachment's filename.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/lint/index.js';
import { indexOfC1 } from '../../src/read/charset.js';
import { decodeWords } from '../../src/read/encoded-words.js';
import { bodyText, leaves, parseMessage, unfold } from '../../src/read/parse.js';
import { repair } from '../../src/repair/repair.js';
import { LEGACY_CHARSETS } from '../support/legacy-charsets.js';
import { type PyCheckResult, pyFindings, usePythonEmail } from '../support/python-email.js';

const DIR = join(import.meta.dirname, '../fixtures/legacy');
const now = () => new Date('2026-12-04T12:00:00Z');

interface Case {
  file: string;
  charset: string;
  subject: string;
  fromName: string;
  body: string;
  filename?: string;
  legacyCharset?: string;
  /** Lint rules the original must fire. */
  lint?: string[];
}

const py = usePythonEmail();
const cases = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as Case[];

function body(r: PyCheckResult): string {
  const p = r.parts.find((x) => x.contentType === 'text/plain');
  return (p?.text ?? '').replace(/\r\n/g, '\n').replace(/\n+$/, '');
}

describe('legacyCharset option', () => {
  const raw = readFileSync(join(DIR, 'undeclared-windows-1251.eml'));
  it.each(['klingon-8', 'utf-7', 'utf-8', 'utf-16', 'iso-2022-jp', 'unknown-8bit'])(
    '%s is refused with INVALID_OPTIONS, not read as Latin-1',
    async (legacyCharset) => {
      await expect(repair(raw, { now, legacyCharset })).rejects.toMatchObject({
        code: 'INVALID_OPTIONS',
        field: 'legacyCharset',
      });
    },
  );
  it('raw windows-1252 header bytes 0x80–0x9F are 8-bit text for lint, not C1 controls', () => {
    const rules = lint(readFileSync(join(DIR, 'raw-headers-windows-1252.eml')), {
      now: now(),
    }).findings.map((f) => f.rule);
    expect(rules).toContain('header-8bit-without-smtputf8');
    expect(rules).not.toContain('header-control-chars');
  });
  it('any WHATWG label of a legacy charset is accepted (cp1251 = windows-1251)', async () => {
    const out = await repair(raw, { now, legacyCharset: 'CP1251' });
    expect((await py.check(out.raw)).headers.subject).toMatch(/^Съешь/);
  });
});

describe('legacy charsets: repaired text equals the original (judge: Python email)', () => {
  it('the corpus covers every charset the issue lists, declared, undeclared and mislabelled', () => {
    const charsets = new Set(cases.map((c) => c.charset));
    for (const cs of LEGACY_CHARSETS) {
      expect(charsets).toContain(cs);
    }
    for (const kind of ['declared-', 'raw-headers-', 'undeclared-', 'mislabelled-'])
      expect(cases.some((c) => c.file.startsWith(kind))).toBe(true);
    expect(cases.filter((c) => c.filename !== undefined).length).toBeGreaterThan(6);
  });

  for (const c of cases) {
    it(c.file, async () => {
      const raw = readFileSync(join(DIR, c.file));
      if (c.file.startsWith('declared-')) {
        // Clean declared mail passes repair untouched: judge lint's read side against Python's text.
        const msg = parseMessage(raw);
        const subject = msg.root.headers.find((h) => h.key === 'subject')!;
        expect(decodeWords(unfold(msg, subject).trim())).toBe(c.subject);
        const text = bodyText(msg, leaves(msg)[0]!);
        expect(text).toMatchObject({ valid: true, known: true });
        expect(text.text.replace(/\r\n/g, '\n').replace(/\n+$/, '')).toBe(
          c.body.replace(/\n+$/, ''),
        );
      }
      if (c.lint) {
        const rules = lint(raw, { now: now() }).findings.map((f) => f.rule);
        expect(rules).toEqual(expect.arrayContaining(c.lint));
      }
      const out = await repair(raw, {
        now,
        ...(c.legacyCharset !== undefined && { legacyCharset: c.legacyCharset }),
      });
      const r = await py.check(out.raw);
      expect(pyFindings(r)).toEqual([]);
      expect(r.headers.subject).toBe(c.subject);
      expect(r.headers.from?.[0]?.name).toBe(c.fromName);
      expect(body(r)).toBe(c.body.replace(/\n+$/, ''));
      if (c.filename !== undefined) {
        expect(r.parts.find((p) => p.filename !== null)?.filename).toBe(c.filename);
      }
      // No C1 control anywhere in what Python reads.
      const all = [r.headers.subject ?? '', c.fromName, body(r)].join('\n');
      expect(indexOfC1(all)).toBe(-1);
    });
  }
});
