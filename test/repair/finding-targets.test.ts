import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding, FindingLocation, RuleId, Severity } from '../../src/lint/index.js';
import { parseMessage } from '../../src/read/index.js';
import { appliedFindings, findingTargets } from '../../src/repair/applied.js';
import { repair } from '../../src/repair/index.js';
import { vanishedUnfixed } from '../../src/repair/unfixed.js';

/** Repair reads where a finding points from the location's fields, not from its text. */
const raw = [
  'From: a@example.com', // 1
  'To: b@example.org', // 2
  'Subject: hi', // 3
  'MIME-Version: 1.0', // 4
  'Content-Type: multipart/mixed; boundary="b"', // 5
  '', // 6
  '--b', // 7
  'Content-Type: text/plain; charset=us-ascii', // 8
  '', // 9
  'hello', // 10
  '--b', // 11
  'Content-Type: text/plain; charset=us-ascii', // 12
  'Content-Transfer-Encoding: base64', // 13
  '', // 14
  'aGVsbG8K', // 15
  '--b--', // 16
  '',
].join('\r\n');
const msg = parseMessage(raw);

const finding = (rule: RuleId, location?: FindingLocation, severity: Severity = 'error') => {
  const f: Finding = { rule, severity, message: 'm' };
  if (location) f.location = location;
  return f;
};
const targets = (...findings: Finding[]) => findingTargets(findings, msg);

describe('findingTargets reads structured locations', () => {
  it('a top-level field: its line is re-rendered, the body stays', () => {
    const t = targets(finding('subject-needs-encoding', { part: '', header: 'Subject', line: 3 }));
    expect([...t.headerLines]).toEqual([3]);
    expect(t.needsRepair).toBe(true);
    expect(t.rebuildBody).toBe(false);
  });
  it("the message's own Content-* field: the body is rebuilt", () => {
    const t = targets(
      finding('content-type-malformed', { part: '', header: 'Content-Type', line: 5 }),
    );
    expect([...t.parts]).toEqual(['']);
    expect(t.headerLines.size).toBe(0);
    expect(t.rebuildBody).toBe(true);
  });
  it('MIME-Version rules act on the header block wherever they point', () => {
    const missing = targets(
      finding('missing-mime-version', { part: '', header: 'Content-Type', line: 5 }),
    );
    expect(missing.addMimeVersion).toBe(true);
    expect(missing.headerLines.size).toBe(0);
    expect(missing.rebuildBody).toBe(false);
    const invalid = targets(
      finding('mime-version-invalid', { part: '', header: 'MIME-Version', line: 4 }),
    );
    expect([...invalid.headerLines]).toEqual([4]);
  });
  it("a part's field, a part, a part's body: that part is rebuilt", () => {
    for (const location of [
      { part: '2', header: 'Content-Type', line: 12 },
      { part: '2' },
      { part: '2', area: 'body' as const },
    ]) {
      const t = targets(finding('charset-mismatch', location));
      expect([...t.parts], JSON.stringify(location)).toEqual(['2']);
      expect([...t.errorParts]).toEqual(['2']);
      expect(t.rebuildBody).toBe(true);
    }
  });
  it('the header block: repaired without a body rebuild', () => {
    const t = targets(finding('missing-date', { part: '', area: 'header' }));
    expect(t.needsRepair).toBe(true);
    expect(t.headerLines.size).toBe(0);
    expect(t.rebuildBody).toBe(false);
  });
  it('a raw line: the field or the part that holds it', () => {
    expect([...targets(finding('line-too-long', { part: '', line: 2 })).headerLines]).toEqual([2]);
    expect([...targets(finding('line-too-long', { part: '', line: 10 })).parts]).toEqual(['1']);
    expect([...targets(finding('line-too-long', { part: '', line: 15 })).parts]).toEqual(['2']);
  });
  it('the envelope, a non-field line of the header block, or no location: a whole rebuild', () => {
    for (const f of [
      finding('address-length-exceeded', { part: '', area: 'envelope' }),
      finding('missing-header-body-separator', { part: '', area: 'header', line: 6 }),
      finding('header-control-chars', { part: '', header: '', line: 2 }),
      finding('line-too-long'),
    ]) {
      const t = targets(f);
      expect(t.rebuildBody, f.rule).toBe(true);
      expect(t.parts.size).toBe(0);
      expect(t.headerLines.size).toBe(0);
    }
  });
  it('HTML in a text/plain part is marked by its path', () => {
    expect([...targets(finding('html-without-mime', { part: '1' })).htmlParts]).toEqual(['1']);
  });
});

describe('applied and unfixed keep the location data', () => {
  it('appliedFindings carries the location object over', () => {
    const location = { part: '', header: 'Subject', line: 3 };
    const [done] = appliedFindings([finding('subject-needs-encoding', location)], []);
    expect(done!.location).toEqual(location);
  });
  it('vanishedUnfixed finds the part by its path', () => {
    const at = (location: FindingLocation) =>
      vanishedUnfixed(msg, finding('needless-base64-text', location, 'info'));
    expect(at({ part: '2', header: 'Content-Transfer-Encoding', line: 13 })).toBe(true);
    expect(at({ part: '1' })).toBe(false);
    expect(at({ part: '' })).toBe(false);
  });
});

describe('a refusal names where the error is', () => {
  it('writes the location as text in the message', async () => {
    const raw = readFileSync(join(import.meta.dirname, '../fixtures/lint/list-unsubscribe.eml'));
    await expect(repair(raw)).rejects.toThrow(/\(header List-Unsubscribe \(line 10\)\)$/);
  });
});
