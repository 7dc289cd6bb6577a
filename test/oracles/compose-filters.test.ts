/**
 * Composed messages before the real filters: a strict Postfix (strict_7bit_headers,
 * strict_8bitmime_body, smtpd_forbid_bare_newline = reject) accepts every one over
 * SMTP, and SpamAssassin gives the typical ones no positive points.
 * Needs `bash scripts/setup-oracles.sh` (CI runs it).
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../src/compose.js';
import type { MessageInput } from '../../src/types.js';
import { safeString } from '../support/unicode.js';
import { openSmtp, type SmtpSession, waitForMail } from './support/postfix.js';
import { spamCheck } from './support/spamassassin.js';

const contactText =
  `Guten Tag,\n\nvielen Dank für Ihre Nachricht. Wir melden uns innerhalb von zwei Werktagen.\n\nMit freundlichen Grüßen\nIhr Team\n`.repeat(
    6,
  );
const contactHtml =
  `<html><body><h1>Vielen Dank</h1><p>Wir melden uns <b>innerhalb von zwei Werktagen</b>.</p>
<ul><li>Anfrage Nr. 1234</li><li><a href="https://example.com/status/1234">Status ansehen</a></li></ul>
<p>Mit freundlichen Grüßen<br>Ihr Team</p></body></html>`.repeat(4);

const typical: Record<string, MessageInput> = {
  'contact form (text + html)': {
    from: 'Kundenservice <service@example.com>',
    to: 'Erika Mustermann <erika@example.org>',
    replyTo: 'Jürgen Müller <juergen@example.net>',
    subject: 'Ihre Anfrage #1234 – Grüße aus Köln',
    text: contactText,
    html: contactHtml,
  },
  'html only (text generated)': {
    from: 'Shop <shop@example.com>',
    to: 'erika@example.org',
    subject: 'Ihre Bestellung ist unterwegs',
    html: contactHtml,
  },
  'with attachments': {
    from: 'Buchhaltung <rechnung@example.com>',
    to: 'Erika Mustermann <erika@example.org>',
    subject: 'Rechnung März',
    text: 'Anbei Ihre Rechnung.\n\nViele Grüße\n',
    attachments: [
      {
        filename: 'Rechnung März.pdf',
        content: Buffer.from(`%PDF-1.4\n${'x'.repeat(5000)}\n%%EOF\n`),
      },
      { filename: 'übersicht.csv', content: 'a;b\n1;2\n' },
    ],
  },
};

let smtp: SmtpSession;
beforeAll(async () => {
  smtp = await openSmtp();
});
afterAll(async () => {
  await smtp?.close();
});

async function deliver(raw: Buffer, tag: string) {
  const rcpt = `${tag}-${randomUUID()}@oracle.test`;
  const r = await smtp.send(raw, { from: 'bounces@example.com', to: [rcpt] });
  return { r, rcpt };
}

describe('composed messages and the real filters', () => {
  for (const [name, input] of Object.entries(typical)) {
    it(`${name}: Postfix accepts it and SpamAssassin gives no positive points`, async () => {
      const { raw } = await compose(input, { envelopeFrom: 'bounces@example.com' });
      const { r, rcpt } = await deliver(raw, 'typical');
      expect(r.data?.code, JSON.stringify(r.replies)).toBe(250);
      const delivered = await waitForMail(rcpt);
      expect(delivered.returnPath).toBe('bounces@example.com');
      const spam = await spamCheck(raw);
      expect(spam.positive, spam.report).toEqual([]);
    });
  }

  it('strict Postfix accepts random composed messages (Unicode in every field)', async () => {
    await fc.assert(
      fc.asyncProperty(
        safeString(30),
        safeString(10),
        safeString(400),
        safeString(120),
        async (subject, name, text, html) => {
          const { raw } = await compose({
            from: { name, address: 'sender@example.com' },
            to: [{ name, address: 'erika@example.org' }],
            subject,
            text,
            html: `<p>${html.replace(/[<&]/g, '')}</p>`,
            attachments: [
              {
                filename: `${name.trim() || 'f'}.txt`.replace(/[/\\]/g, '_').trim(),
                content: text,
              },
            ],
          });
          const { r } = await deliver(raw, 'prop');
          expect(r.data?.code, JSON.stringify(r.replies)).toBe(250);
        },
      ),
      { numRuns: Number(process.env['ORACLE_RUNS'] ?? 40) },
    );
  });
});
