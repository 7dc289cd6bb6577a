/**
 * repair() checks its output with the error-capable rules plus the rules the
 * original had findings for (src/repair/repair.ts, afterRules). What that selection
 * must keep: a warning repair cannot fix is still there afterwards and so is
 * not reported as applied, and the output still lints without errors.
 */
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/lint/index.js';
import { repair } from '../../src/repair/repair.js';
import { NOW, now } from './cases.js';

describe('repair: the check of the repaired bytes', () => {
  it('does not report a warning that is still there as applied', async () => {
    // No Subject (a warning repair cannot fix), Reply-To = To (a warning it leaves alone),
    // no Date and LF line ends (both fixed).
    const raw = Buffer.from(
      'To: erika@example.org\nReply-To: erika@example.org\nFrom: Shop <shop@example.com>\n\nHallo\n',
    );
    const before = lint(raw, { now: NOW }).findings.map((f) => f.rule);
    expect(before).toEqual(
      expect.arrayContaining(['missing-or-empty-subject', 'reply-to-equals-to', 'missing-date']),
    );
    const out = await repair(raw, { now, envelopeFrom: 'bounces@example.com' });
    const applied = out.applied.map((f) => f.rule);
    expect(applied).toContain('missing-date');
    expect(applied).not.toContain('missing-or-empty-subject');
    expect(applied).not.toContain('reply-to-equals-to');
    const after = lint(out.raw, { now: NOW, envelope: out.envelope! });
    expect(after.errors).toBe(0);
    expect(after.findings.map((f) => f.rule)).toEqual(
      expect.arrayContaining(['missing-or-empty-subject', 'reply-to-equals-to']),
    );
  });
});
