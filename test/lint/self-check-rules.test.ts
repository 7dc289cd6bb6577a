// The self-check runs a subset of lint's rules; this pins that subset to
// "every rule that can report an error", so a new error rule cannot be missed.
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { lint, rules, SELF_CHECK_RULES } from '../../src/lint/index.js';

describe('SELF_CHECK_RULES', () => {
  it('names only existing rules, each once', () => {
    const ids = new Set(rules.map((r) => r.id));
    for (const id of SELF_CHECK_RULES) expect(ids.has(id), id).toBe(true);
    expect(new Set(SELF_CHECK_RULES).size).toBe(SELF_CHECK_RULES.length);
  });

  it('contains every rule whose primary severity is error', () => {
    const missing = rules
      .filter((r) => r.severity === 'error' && !SELF_CHECK_RULES.includes(r.id))
      .map((r) => r.id);
    expect(missing).toEqual([]);
  });

  it('finds the same errors as the full rule set on broken messages', () => {
    const broken = [
      'From: a@b.example\nSubject: Grüße\n\nbody\n',
      'From: a@b.example\r\nDate: x\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 7bit\r\n\r\nGr\xfc\xdfe\r\n',
      'From: a@b.example\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nbad =zz escape and =c3=a4 \r\n',
      'From: a@b.example\r\nList-Unsubscribe: nonsense\r\nSubject: =?utf-8?Q?broken\r\n\r\nx\r\n',
    ];
    for (const raw of broken) {
      const bytes = Buffer.from(raw, 'latin1');
      const errors = (r: ReturnType<typeof lint>) =>
        r.findings.filter((f) => f.severity === 'error');
      const all = errors(lint(bytes, { now: new Date('2026-01-01T00:00:00Z') }));
      const subset = errors(
        lint(bytes, {
          now: new Date('2026-01-01T00:00:00Z'),
          rules: SELF_CHECK_RULES,
        }),
      );
      expect(all.length).toBeGreaterThan(0);
      expect(subset).toEqual(all);
    }
  });

  it('a composed message passes both the subset and the full set', async () => {
    const { raw } = await compose(
      {
        from: 'Jürgen <j@example.com>',
        to: 'a@example.org',
        subject: 'Schöne Grüße 🎉',
        text: 'Grüße\n'.repeat(50),
        html: '<p>Grüße</p>',
      },
      { envelopeFrom: 'bounces@example.com' },
    );
    expect(lint(raw, { rules: SELF_CHECK_RULES }).errors).toBe(0);
    expect(lint(raw).errors).toBe(0);
  });
});
