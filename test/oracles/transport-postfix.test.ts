/**
 * createMailer → real Postfix (strict, loopback; `bash scripts/setup-oracles.sh`)
 * over SMTP (STARTTLS and implicit TLS) and through Postfix's own sendmail.
 * Judges: what Postfix stored in the Maildir (Return-Path = envelope sender,
 * X-Original-To = envelope recipient, no Bcc header) and Python's `email`
 * package (zero defects on the delivered bytes).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransportError } from '../../src/send/error.js';
import { createMailer, type Mailer } from '../../src/send/mailer.js';
import { sendmailTransport } from '../../src/send/sendmail.js';
import { smtpTransport } from '../../src/send/smtp.js';
import type { Transport } from '../../src/send/types.js';
import { pyFindings, usePythonEmail } from '../support/python-email.js';
import {
  type DeliveredMail,
  ORACLE_SMTP_HOST,
  ORACLE_SMTP_PORT,
  ORACLE_SMTPS_PORT,
  POSTFIX_SENDMAIL,
  waitForMail,
} from './support/postfix.js';

const py = usePythonEmail();

const tagged = () => randomUUID().slice(0, 8);

/** Maildir files use LF; Python and our checks judge the wire form (CRLF). */
const toCrlf = (raw: Buffer) =>
  Buffer.from(raw.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');

/** The delivered bytes below the trace headers Postfix prepends: exactly what was sent, LF. */
function belowTrace(mail: DeliveredMail): string {
  const lines = mail.raw.toString('latin1').split('\n');
  let i = 0;
  while (
    i < lines.length &&
    (/^(Return-Path|X-Original-To|Delivered-To|Received):/i.test(lines[i]!) ||
      (i > 0 && /^[ \t]/.test(lines[i]!)))
  ) {
    i++;
  }
  return lines.slice(i).join('\n');
}

/** Delivered copy for one envelope recipient (Postfix writes one file per recipient). */
const deliveredTo = (rcpt: string, timeoutMs?: number) =>
  waitForMail((m: DeliveredMail) => m.originalTo === rcpt, timeoutMs);

async function judgeDelivered(mail: DeliveredMail, envelopeFrom: string, subject: string) {
  expect(mail.returnPath).toBe(envelopeFrom);
  expect(mail.head).not.toMatch(/^bcc[ \t]*:/im);
  const r = await py.check(toCrlf(mail.raw));
  expect(pyFindings(r)).toEqual([]);
  expect(r.headers.subject).toBe(subject);
}

function message(tag: string) {
  return {
    from: 'Shop <shop@example.com>',
    to: `Erika <to-${tag}@oracle.test>`,
    cc: `cc-${tag}@example.org`,
    bcc: `bcc-${tag}@oracle.test`,
    subject: `Grüße aus Köln ${tag}`,
    text: `Hallo Erika,\n\nIhre Bestellung ${tag} ist unterwegs.\n.\nEine Zeile mit nur einem Punkt steht darüber.\n`,
  };
}

const transports: Array<[string, () => Transport]> = [
  [
    'smtpTransport (STARTTLS required)',
    () =>
      smtpTransport({
        host: ORACLE_SMTP_HOST,
        port: ORACLE_SMTP_PORT,
        name: 'client.example.com',
        requireTLS: true,
        tls: { rejectUnauthorized: false }, // the oracle's certificate is self-signed
      }),
  ],
  [
    'smtpTransport (implicit TLS)',
    () =>
      smtpTransport({
        host: ORACLE_SMTP_HOST,
        port: ORACLE_SMTPS_PORT,
        secure: true,
        name: 'client.example.com',
        tls: { rejectUnauthorized: false },
      }),
  ],
  ['sendmailTransport (Postfix sendmail)', () => sendmailTransport({ path: POSTFIX_SENDMAIL })],
];

describe.each(transports)('createMailer with %s → Postfix', (_name, make) => {
  let mailer: Mailer;
  beforeAll(() => {
    mailer = createMailer({ transport: make() });
  });
  afterAll(async () => {
    await mailer.close();
  });

  it('delivers To, Cc and Bcc recipients; Return-Path is the envelope sender; no Bcc header; no Python defects', async () => {
    const tag = tagged();
    const envelopeFrom = `bounces-${tag}@example.com`;
    const input = message(tag);
    const result = await mailer.send(input, { envelopeFrom });

    const rcpts = [`to-${tag}@oracle.test`, `cc-${tag}@example.org`, `bcc-${tag}@oracle.test`];
    expect(result.envelope).toEqual({ from: envelopeFrom, to: rcpts });
    expect([...result.accepted].sort()).toEqual([...rcpts].sort());
    expect(result.rejected).toEqual([]);

    const copies = await Promise.all(rcpts.map((r) => deliveredTo(r)));
    for (const mail of copies) await judgeDelivered(mail, envelopeFrom, input.subject);
    // every recipient got the same message: the bytes below Postfix's trace headers are identical
    const sent = copies.map(belowTrace);
    expect(sent[0]).toMatch(/^From: Shop <shop@example\.com>$/m);
    expect(sent[0]).toContain(`Message-ID: ${result.messageId}`);
    expect(new Set(sent).size).toBe(1);
    // the Bcc recipient is nowhere in what was sent
    expect(sent[0]).not.toContain(`bcc-${tag}@`);
  });
});

describe('refused recipients never count as sent', () => {
  const smtp = () =>
    smtpTransport({
      host: ORACLE_SMTP_HOST,
      port: ORACLE_SMTP_PORT,
      name: 'client.example.com',
      tls: { rejectUnauthorized: false },
    });

  it('SMTP: a relay-denied recipient is in rejected, the local one delivered', async () => {
    const tag = tagged();
    const mailer = createMailer({ transport: smtp(), envelopeFrom: `bounces-${tag}@example.com` });
    try {
      const result = await mailer.send({
        from: 'shop@example.com',
        to: [`ok-${tag}@oracle.test`, `someone-${tag}@not-local.invalid`],
        subject: `partial ${tag}`,
        text: 'one of two',
      });
      expect(result.accepted).toEqual([`ok-${tag}@oracle.test`]);
      expect(result.rejected).toEqual([`someone-${tag}@not-local.invalid`]);
      const reason = result.rejectedErrors![0]!.error;
      expect(reason.permanent).toBe(true);
      expect(reason.responseCode).toBe(554);
      expect(reason.enhancedCode).toBe('5.7.1');
      expect(reason.response).toMatch(/Relay access denied/);
      await deliveredTo(`ok-${tag}@oracle.test`);
    } finally {
      await mailer.close();
    }
  });

  it('SMTP: only refused recipients is a permanent TransportError, nothing delivered', async () => {
    const tag = tagged();
    const mailer = createMailer({ transport: smtp(), envelopeFrom: `bounces-${tag}@example.com` });
    try {
      const err = await mailer
        .send({
          from: 'shop@example.com',
          to: `someone-${tag}@not-local.invalid`,
          subject: `refused ${tag}`,
          text: 'nobody',
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransportError);
      expect((err as TransportError).permanent).toBe(true);
      expect((err as TransportError).responseCode).toBe(554);
      expect((err as TransportError).rejected).toEqual([`someone-${tag}@not-local.invalid`]);
      await expect(waitForMail((m) => m.head.includes(`refused ${tag}`), 1500)).rejects.toThrow(
        /no delivered mail/,
      );
    } finally {
      await mailer.close();
    }
  });

  it('sendmail: Postfix takes the message and bounces it to the envelope sender', async () => {
    // sendmail semantics: exit 0 means "queued", refusals come back as a bounce to the
    // reverse-path. That the bounce reaches bounces-<tag>@ proves -f was honoured.
    const tag = tagged();
    const envelopeFrom = `bounces-${tag}@example.com`;
    const mailer = createMailer({ transport: sendmailTransport({ path: POSTFIX_SENDMAIL }) });
    try {
      const result = await mailer.send(
        {
          from: 'shop@example.com',
          to: `someone-${tag}@not-local.invalid`,
          subject: `bounce ${tag}`,
          text: 'will bounce',
        },
        { envelopeFrom },
      );
      expect(result.accepted).toEqual([`someone-${tag}@not-local.invalid`]);
      const bounce = await deliveredTo(envelopeFrom, 30_000);
      expect(bounce.returnPath).toBe(''); // a bounce has the null sender
      expect(bounce.raw.toString('latin1')).toContain(`someone-${tag}@not-local.invalid`);
    } finally {
      await mailer.close();
    }
  });
});

describe('the null reverse-path', () => {
  it.each(transports.filter(([n]) => !n.includes('implicit')))(
    '%s hands <> to Postfix',
    async (_name, make) => {
      const tag = tagged();
      const mailer = createMailer({ transport: make() });
      try {
        const result = await mailer.send({
          from: 'shop@example.com',
          to: `auto-${tag}@oracle.test`,
          subject: `auto reply ${tag}`,
          text: 'auto',
          autoSubmitted: 'auto-replied',
          envelope: { from: '' },
        });
        expect(result.envelope.from).toBe('');
        const mail = await deliveredTo(`auto-${tag}@oracle.test`);
        expect(mail.returnPath).toBe('');
      } finally {
        await mailer.close();
      }
    },
  );
});
