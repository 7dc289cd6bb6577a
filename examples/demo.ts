/**
 * The README's first command (`npm run demo`): composes a contact-form style
 * message with HTML, an attachment and a German subject, and writes it with
 * the embedded default transport into ./outbox (no mail server needed).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createMailer, type FileTransportRecord, fileTransport, lint } from '../src/index.js';

const dir = process.env['OUTBOX'] ?? './outbox';
const mailer = createMailer({
  transport: fileTransport({ dir }),
  // Where bounces go: a real mailbox, never wwwrun@localhost.
  envelopeFrom: 'bounces@example.com',
});

const result = await mailer.send({
  from: 'Jürgen Müller <juergen@example.com>',
  to: ['Erika Mustermann <erika@example.org>'],
  bcc: 'archive@example.com',
  replyTo: 'kunde@example.net',
  subject: 'Grüße aus Köln – Ihre Anfrage 🎉 #1234',
  html: `<h1>Danke für Ihre Anfrage</h1>
<p>Wir melden uns <b>innerhalb von 24 Stunden</b>.</p>
<ul><li>Anfrage: #1234</li><li>Status: <a href="https://example.com/status/1234">ansehen</a></li></ul>`,
  attachments: [{ filename: 'Übersicht.txt', content: 'Zeile 1\nZeile 2\n' }],
  autoSubmitted: 'auto-generated',
});

// Each message is `<id>.eml` plus a `<id>.json` record naming its Message-ID and envelope.
const id = await idOf(result.messageId);
const raw = await readFile(join(dir, `${id}.eml`));
const report = lint(raw, { envelope: result.envelope });
console.log(`wrote ${join(dir, `${id}.eml`)} (${raw.length} bytes)`);
console.log(
  `envelope: MAIL FROM:<${result.envelope.from}> RCPT TO:${result.envelope.to.map((t) => `<${t}>`).join(' ')}`,
);
console.log(`lint: ${report.errors} errors, ${report.warnings} warnings`);
await mailer.close();

/** The file transport's id for a Message-ID, found through the `.json` records it writes. */
async function idOf(messageId: string): Promise<string> {
  for (const f of await readdir(dir)) {
    if (!f.endsWith('.json')) continue;
    const record = JSON.parse(await readFile(join(dir, f), 'utf8')) as FileTransportRecord;
    if (record.messageId === messageId) return record.id;
  }
  throw new Error(`no record of ${messageId} in ${dir}`);
}
