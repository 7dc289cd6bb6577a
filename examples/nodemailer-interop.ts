/**
 * Keep your nodemailer transporter, let mailhygiene build the message.
 * nodemailer only carries `{ envelope, raw }`: its own composer, address
 * parser and header handling never touch the bytes.
 *
 * Offline: a streamTransport (bytes back as a Buffer) and a jsonTransport.
 * In production pass `nodemailer.createTransport({ host, port, auth })` the same way.
 *
 * Run: node --import tsx examples/nodemailer-interop.ts
 */
import nodemailer from 'nodemailer';
import {
  compose,
  createMailer,
  MailHygieneError,
  type NodemailerLikeTransporter,
  nodemailerTransport,
} from '../src/index.js';
import { isMain } from './lib/contact-setup.js';

/** Composes with mailhygiene and hands the exact bytes to a nodemailer stream transport. */
export async function sendThroughNodemailerStream(): Promise<{
  composed: Buffer;
  carried: Buffer;
  envelope: { from: string; to: string[] };
}> {
  const input = {
    from: 'Shop <shop@example.com>',
    to: 'Erika Mustermann <erika@example.org>',
    subject: 'Ihre Bestellung ist unterwegs 📦',
    html: '<p>Grüße aus <b>Köln</b> – <a href="https://example.com/t/1">Sendung verfolgen</a></p>',
  };
  const options = { envelopeFrom: 'bounces@example.com' };
  const composed = await compose(input, options);
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true });
  // Send the already-composed bytes; nodemailer's `raw` mode does not rewrite them.
  // (@types/nodemailer 8 does not describe nodemailer 10's `raw` + envelope shape exactly.)
  const info = (await transporter.sendMail({
    envelope: composed.envelope,
    raw: composed.raw,
  } as never)) as unknown as { message: Buffer; envelope: { from: string; to: string[] } };
  return { composed: composed.raw, carried: info.message, envelope: info.envelope };
}

/** createMailer() with any nodemailer transporter as the transport (here: JSON, offline). */
export async function sendWithMailerOverJson() {
  const mailer = createMailer({
    transport: nodemailerTransport(
      nodemailer.createTransport({ jsonTransport: true }) as unknown as NodemailerLikeTransporter,
    ),
    envelopeFrom: 'bounces@example.com',
  });
  return mailer.send({
    from: 'Shop <shop@example.com>',
    to: ['erika@example.org', 'max@example.net'],
    subject: 'Newsletter',
    text: 'Hallo!',
  });
}

/** What nodemailer would silently fix, mailhygiene refuses before any transport is involved. */
export async function refusedBeforeNodemailer(): Promise<MailHygieneError | undefined> {
  try {
    await compose({
      from: 'shop@example.com',
      to: 'victim@example.com\r\nBcc: evil@attacker.example',
      subject: 'Hi',
      text: 'x',
    });
  } catch (e) {
    if (e instanceof MailHygieneError) return e;
    throw e;
  }
  return undefined;
}

if (isMain(import.meta.url)) {
  const stream = await sendThroughNodemailerStream();
  const same = stream.composed.equals(stream.carried);
  console.log(`streamTransport carried ${stream.carried.length} bytes, identical to ours: ${same}`);
  console.log('envelope:', stream.envelope);
  const sent = await sendWithMailerOverJson();
  console.log('jsonTransport accepted:', sent.accepted, 'messageId:', sent.messageId);
  const refused = await refusedBeforeNodemailer();
  console.log('refused:', refused && { code: refused.code, field: refused.field });
  if (!same || !refused) process.exit(1);
}
