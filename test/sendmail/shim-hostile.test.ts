/**
 * The bundled shim on what PHP's mail() really writes (test/fixtures/php,
 * captured from php-cli 8.2): a header smuggled through one `\n` is refused
 * with 65 and kept as a dead letter; `undisclosed-recipients:;` goes to the
 * Bcc recipients; Resent-* recipients are taken as Postfix's `sendmail -t`
 * takes them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phpFixture } from '../support/php-mail.js';
import { buildShim, removeSandboxes, runShim, sandbox } from './support/shim.js';

let bin: string;
beforeAll(async () => {
  bin = await buildShim();
}, 60_000);
afterAll(removeSandboxes);

describe('mailhygiene-sendmail on hostile PHP mail() output', () => {
  it.each(['php82-form-injected', 'php82-mixed-form-injected'])(
    '%s: exit 65, the original kept as a dead letter, nothing sent',
    async (name) => {
      const s = await sandbox();
      const raw = phpFixture(name);
      const r = await runShim(bin, ['-t', '-i'], raw, { MAILHYGIENE_CONFIG: s.configPath });
      expect(r.code).toBe(65);
      expect(r.stderr).toContain('bare LF');
      expect(await s.files(s.outbox)).toHaveLength(0);
      const [dead, ...more] = await s.files(s.deadLetters);
      expect(more).toHaveLength(0);
      expect(dead!.eml.equals(raw)).toBe(true);
      expect(dead!.json).toMatchObject({
        stage: 'repair',
        exitCode: 65,
        code: 'REPAIR_REFUSED',
        field: 'bare-lf-in-header',
      });
    },
  );

  it("mail('undisclosed-recipients:;', …) with Bcc: sent to the Bcc recipients, To kept", async () => {
    const s = await sandbox();
    const r = await runShim(bin, ['-t', '-i'], phpFixture('php82-undisclosed-recipients'), {
      MAILHYGIENE_CONFIG: s.configPath,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [sent] = await s.files(s.outbox);
    expect(sent!.json['envelope']).toEqual({
      from: 'bounces@example.com',
      to: ['anna@example.org', 'ben@example.net'],
    });
    const text = sent!.eml.toString('latin1');
    expect(text).toMatch(/^To: undisclosed-recipients:;\r$/m);
    expect(text).not.toMatch(/^bcc\s*:/im);
  });

  const resend = Buffer.from(
    [
      'From: Web Shop <shop@example.com>',
      'To: erika@example.org',
      'Subject: Ihre Bestellung',
      'Resent-From: Support <support@example.com>',
      'Resent-To: lager@example.net',
      'Resent-Bcc: archiv@example.org',
      '',
      'Bestellung 4711',
      '',
    ].join('\n'),
  );

  it('-t with Resent-* fields: recipients are Resent-To and Resent-Bcc, Resent-Bcc removed', async () => {
    const s = await sandbox();
    const r = await runShim(bin, ['-t', '-i'], resend, { MAILHYGIENE_CONFIG: s.configPath });
    expect(r.code).toBe(0);
    const [sent] = await s.files(s.outbox);
    expect(sent!.json['envelope']).toEqual({
      from: 'bounces@example.com',
      to: ['lager@example.net', 'archiv@example.org'],
    });
    const text = sent!.eml.toString('latin1');
    expect(text).not.toMatch(/^resent-bcc\s*:/im);
    expect(text).not.toContain('archiv@example.org');
  });

  it('without -t: only the argument recipients, and Resent-Bcc still leaves the bytes', async () => {
    const s = await sandbox();
    const r = await runShim(bin, ['-i', 'lager@example.net'], resend, {
      MAILHYGIENE_CONFIG: s.configPath,
    });
    expect(r.code).toBe(0);
    const [sent] = await s.files(s.outbox);
    expect(sent!.json['envelope']).toEqual({
      from: 'bounces@example.com',
      to: ['lager@example.net'],
    });
    expect(sent!.eml.toString('latin1')).not.toContain('archiv@example.org');
  });
});
