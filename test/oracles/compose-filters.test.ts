/**
 * Composed messages before the real filters: a strict Postfix (strict_7bit_headers,
 * strict_8bitmime_body, smtpd_forbid_bare_newline = reject) accepts every one over
 * SMTP, and SpamAssassin gives the typical ones no positive points.
 * Needs `bash scripts/setup-oracles.sh` (CI runs it).
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import type { MessageInput } from '../../src/compose/types.js';
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

const newsletterText =
  `Liebe Leserin, lieber Leser,\n\nim Dezember finden Sie bei uns neue Winterjacken, Schals und Mützen aus Wolle.\nAlle Artikel sind bis zum 24. Dezember versandkostenfrei.\n\nZum Katalog: https://example.com/katalog/winter\n\nViele Grüße\nIhr Team vom Beispiel-Shop\n`.repeat(
    3,
  );
const newsletterHtml = `<html><body><h1>Neu im Dezember</h1>
<p>Im Dezember finden Sie bei uns <b>neue Winterjacken, Schals und Mützen</b> aus Wolle.
Alle Artikel sind bis zum 24. Dezember versandkostenfrei.</p>
<p><a href="https://example.com/katalog/winter">Zum Katalog</a></p>
<p>Viele Grüße<br>Ihr Team vom Beispiel-Shop</p>
<p><small><a href="https://example.com/abmelden?u=8f3a">Newsletter abbestellen</a></small></p>
</body></html>`.repeat(3);
/** A 1×1 PNG, as a shop logo would be sent inline. */
const logoPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

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
  // Issue 12 item 13: the recipients below have no display name (TO_NO_BRKTS_* scored them).
  newsletter: {
    from: 'Beispiel-Shop Newsletter <news@example.com>',
    to: 'leserin@example.org',
    subject: 'Neu im Dezember: Winterjacken, Schals und Mützen',
    text: newsletterText,
    html: newsletterHtml,
    listUnsubscribe: {
      url: 'https://example.com/abmelden?u=8f3a',
      mailto: 'abmelden@example.com',
      oneClick: true,
    },
  },
  autoresponder: {
    from: 'Kundenservice <service@example.com>',
    to: 'kunde@example.org',
    subject: 'Automatische Antwort: Ihre Anfrage #1234',
    text: contactText,
    autoSubmitted: 'auto-replied',
    inReplyTo: '<anfrage-1234@example.org>',
    references: ['<anfrage-1234@example.org>'],
  },
  'inline image': {
    from: 'Shop <shop@example.com>',
    to: 'kunde@example.org',
    subject: 'Ihre Bestellung ist unterwegs',
    // text generated from the HTML (MPART_ALT_DIFF scores parts that say different things);
    // SpamAssassin's HTML_IMAGE_ONLY_* score an image beside less than 3200 bytes of words.
    html: `<p><img src="cid:logo@example.com" alt="Shop" width="120" height="40"></p>${contactHtml.repeat(5)}`,
    attachments: [
      { filename: 'logo.png', content: logoPng, contentType: 'image/png', cid: 'logo@example.com' },
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
      // "To: lacks brackets" (TO_NO_BRKTS_HTML_IMG, _PCNT, _NORDNS, …): never, at any score.
      expect(
        spam.rules.filter((r) => r.name.startsWith('TO_NO_BRKTS')),
        spam.report,
      ).toEqual([]);
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
          const { raw } = await compose(
            {
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
            },
            { selfCheck: 'full' },
          );
          const { r } = await deliver(raw, 'prop');
          expect(r.data?.code, JSON.stringify(r.replies)).toBe(250);
        },
      ),
      { numRuns: Number(process.env['ORACLE_RUNS'] ?? 40) },
    );
  });
});
