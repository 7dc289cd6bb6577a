/**
 * Comments nest (RFC 5322 §3.2.2): `(a (b) c)` is one comment. Every place
 * that once read comments with `\([^)]*\)` now uses the scanner of
 * wire/cfws.ts (issue 16); each is held to a nested comment here (MIME
 * parameters, List-Unsubscribe and Message-ID: test/lint/cfws.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { parseHeaderBlock } from '../../src/compose/dkim/canonicalize.js';
import { fromDomains } from '../../src/compose/dkim/sign.js';
import { lint } from '../../src/lint/index.js';
import { checkDate, parseAddressList, parseMessage } from '../../src/read/index.js';

const now = new Date('2026-01-01T00:00:30Z');
const HEAD =
  'From: a@example.org\r\nTo: b@example.org\r\nSubject: hi\r\nMessage-ID: <m.0123456789@example.org>\r\n';
const DATE = 'Date: Thu, 01 Jan 2026 00:00:00 +0000\r\n';
const rules = (raw: string) => lint(raw, { now }).findings.map((f) => f.rule);

describe('nested comments', () => {
  it('Date: a nested comment after the zone is CFWS (RFC 5322 §3.3)', () => {
    expect(checkDate('Thu, 01 Jan 2026 00:00:00 +0000 (UTC (Coordinated))').problems).toEqual([]);
    expect(checkDate('Thu, 01 Jan 2026 00:00:00 +0000 (a) (b (c))').problems).toEqual([]);
    expect(
      rules(`${HEAD}Date: Thu, 01 Jan 2026 00:00:00 +0000 (UTC (x))\r\n\r\nbody\r\n`),
    ).not.toContain('invalid-date');
    // Still refused: an unclosed comment, and a comment with text after it.
    expect(checkDate('Thu, 01 Jan 2026 00:00:00 +0000 (UTC (x)').date).toBeUndefined();
    expect(checkDate('Thu, 01 Jan 2026 00:00:00 +0000 (UTC) x').date).toBeUndefined();
  });
  it('Date: linear on a run of comments', () => {
    const v = `Thu, 01 Jan 2026 00:00:00 +0000 ${'(a)'.repeat(100_000)}x`;
    const start = performance.now();
    expect(checkDate(v).date).toBeUndefined();
    expect(performance.now() - start).toBeLessThan(1000);
  });
  it('Content-Transfer-Encoding and MIME-Version', () => {
    const raw = `${HEAD}${DATE}MIME-Version: 1.0 (made by (nested) x)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64 (b (64))\r\n\r\naGk=\r\n`;
    expect(parseMessage(raw).root.cte).toBe('base64');
    expect(rules(raw)).not.toContain('mime-version-invalid');
  });
  it('address lists', () => {
    const r = parseAddressList('Ann (the (first)) <a@example.org>, b@example.org (x (y))');
    expect(r.mailboxes.map((m) => m.address)).toEqual(['a@example.org', 'b@example.org']);
    expect(r.problems).toEqual([]);
  });
  it("DKIM's From domain", () => {
    const fields = parseHeaderBlock(
      'From: "x@evil.example" (y (@evil.example)) <a@example.org>\r\n',
    );
    expect(fromDomains(fields)).toEqual(['example.org']);
  });
});
