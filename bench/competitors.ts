/**
 * One adapter per library and variant: the exact API calls the benchmarks
 * time. Every adapter returns the complete raw message (Buffer or string).
 *
 * - nodemailer 10: `new MailComposer(mail).compile().build()` (Promise<Buffer>).
 * - emailjs 5: `new Message({...}).readAsync()`; HTML goes in as an
 *   `alternative` attachment (its documented way to send text + HTML).
 * - mimetext 3: `createMimeMessage()` … `asRaw()`. As documented, bodies go
 *   out verbatim labelled 7bit; the "+b64(caller)" variant has the caller
 *   base64-encode them first, which makes the output transfer-safe.
 */

import type { Readable } from 'node:stream';
import { Message } from 'emailjs';
import { createMimeMessage, Mailbox } from 'mimetext';
import MailComposer from 'nodemailer/lib/mail-composer';

export interface SimpleMail {
  from: { name: string; address: string };
  to: string;
  replyTo?: { name: string; address: string };
  subject: string;
  text: string;
  html?: string;
  date: Date;
}

function fmtAddr(a: { name: string; address: string }): string {
  return `"${a.name}" <${a.address}>`;
}

export function nodemailerBuild(m: SimpleMail): Promise<Buffer> {
  const mail: Record<string, unknown> = {
    from: m.from,
    to: m.to,
    subject: m.subject,
    text: m.text,
    date: m.date,
  };
  if (m.replyTo) mail['replyTo'] = m.replyTo;
  if (m.html !== undefined) mail['html'] = m.html;
  return new MailComposer(mail).compile().build();
}

export function emailjsBuild(m: SimpleMail): Promise<string> {
  const headers: Record<string, unknown> = {
    from: fmtAddr(m.from),
    to: m.to,
    subject: m.subject,
    text: m.text,
    date: m.date.toUTCString(),
  };
  if (m.replyTo) headers['reply-to'] = fmtAddr(m.replyTo);
  if (m.html !== undefined) headers['attachment'] = [{ data: m.html, alternative: true }];
  return new Message(headers as ConstructorParameters<typeof Message>[0]).readAsync();
}

export function mimetextBuild(m: SimpleMail, callerBase64 = false): string {
  const msg = createMimeMessage();
  msg.setSender({ name: m.from.name, addr: m.from.address });
  msg.setTo(m.to);
  if (m.replyTo)
    msg.setHeader('Reply-To', new Mailbox({ name: m.replyTo.name, addr: m.replyTo.address }));
  msg.setSubject(m.subject);
  const add = (contentType: string, data: string) =>
    callerBase64
      ? msg.addMessage({
          contentType,
          data: Buffer.from(data).toString('base64'),
          encoding: 'base64',
        })
      : msg.addMessage({ contentType, data });
  add('text/plain', m.text);
  if (m.html !== undefined) add('text/html', m.html);
  return msg.asRaw();
}

/** nodemailer with a 20 MiB attachment, built in memory (Buffer or Readable content). */
export function nodemailerAttachmentBuild(content: Buffer | Readable): Promise<Buffer> {
  return new MailComposer({
    from: 'reports@example.com',
    to: 'archiv@example.org',
    subject: 'Monatsbericht November (Anhang 20 MiB)',
    text: 'Im Anhang der Monatsbericht.\n',
    attachments: [
      { filename: 'bericht-2026-11.bin', content, contentType: 'application/octet-stream' },
    ],
  })
    .compile()
    .build();
}

/** nodemailer's streaming output of the same message, drained into a byte count. */
export function nodemailerAttachmentStream(content: Buffer | Readable): Promise<number> {
  const stream = new MailComposer({
    from: 'reports@example.com',
    to: 'archiv@example.org',
    subject: 'Monatsbericht November (Anhang 20 MiB)',
    text: 'Im Anhang der Monatsbericht.\n',
    attachments: [
      { filename: 'bericht-2026-11.bin', content, contentType: 'application/octet-stream' },
    ],
  })
    .compile()
    .createReadStream() as Readable;
  return drain(stream);
}

/** Reads a stream to its end, counting bytes (holds nothing). */
export async function drain(stream: AsyncIterable<Buffer | string>): Promise<number> {
  let n = 0;
  for await (const c of stream) n += c.length;
  return n;
}

/** emailjs with the attachment as a Readable (it cannot take binary `data`), read in memory. */
export function emailjsAttachmentRead(content: Readable): Promise<string> {
  return new Message({
    from: 'reports@example.com',
    to: 'archiv@example.org',
    subject: 'Monatsbericht November (Anhang 20 MiB)',
    text: 'Im Anhang der Monatsbericht.\n',
    attachment: [
      { stream: content, type: 'application/octet-stream', name: 'bericht-2026-11.bin' },
    ],
  } as ConstructorParameters<typeof Message>[0]).readAsync();
}

/** mimetext: the caller base64-encodes the attachment (it has no encoder). */
export function mimetextAttachment(content: Buffer): string {
  const msg = createMimeMessage();
  msg.setSender('reports@example.com');
  msg.setTo('archiv@example.org');
  msg.setSubject('Monatsbericht November (Anhang 20 MiB)');
  msg.addMessage({ contentType: 'text/plain', data: 'Im Anhang der Monatsbericht.\n' });
  msg.addAttachment({
    filename: 'bericht-2026-11.bin',
    contentType: 'application/octet-stream',
    data: content.toString('base64'),
  });
  return msg.asRaw();
}
