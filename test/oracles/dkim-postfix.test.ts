/**
 * DKIM through a real MTA: messages signed by compose() (RSA-2048 and
 * Ed25519 at once, attachment, long QP lines, List-Unsubscribe) go through the
 * strict loopback Postfix over SMTP and through its sendmail; the copies
 * Postfix delivers into the Maildir (LF line endings, trace headers on top)
 * must still verify with mailauth.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { dkimSign } from '../../src/compose/dkim/sign.js';
import { ed25519Key, rsaKey, verify } from '../dkim/helpers.js';
import { multipartMessage } from '../dkim/messages.js';
import { postfixSendmail, smtpSend, waitForMail } from './support/postfix.js';

const rsa = rsaKey();
const ed = ed25519Key();
const dns = { 'rsa1._domainkey.example.com': rsa.txt, 'ed1._domainkey.example.com': ed.txt };
const dkim = [
  { domainName: 'example.com', keySelector: 'rsa1', privateKey: rsa.privatePem },
  {
    domainName: 'example.com',
    keySelector: 'ed1',
    privateKey: ed.privatePem,
    algorithm: 'ed25519-sha256' as const,
  },
];

/** Maildir copies use LF; a receiving MTA verifies the CRLF wire form. */
const toCrlf = (raw: Buffer) =>
  Buffer.from(raw.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');

async function signedMessage(rcpt: string): Promise<Buffer> {
  const { raw } = await compose(
    {
      from: 'Jürgen Müller <juergen@example.com>',
      to: [`Erika <${rcpt}>`],
      subject: 'DKIM through Postfix',
      text: `${'A long line that the composer has to encode with soft line breaks. '.repeat(25)}\n.a line starting with a dot\n`,
      html: '<p>Grüße aus <b>Köln</b></p>',
      attachments: [{ filename: 'data.bin', content: Buffer.alloc(30_000, 0xa5) }],
      listUnsubscribe: { url: 'https://example.com/u/1', oneClick: true },
    },
    { envelopeFrom: 'bounces@example.com', dkim },
  );
  return raw;
}

describe('DKIM signatures survive delivery by Postfix', () => {
  it('over SMTP: both signatures of the delivered copy pass', async () => {
    const rcpt = `dkim-smtp-${randomUUID().slice(0, 8)}@oracle.test`;
    const raw = await signedMessage(rcpt);
    expect((await verify(raw, dns)).map((r) => r.status.result)).toEqual(['pass', 'pass']);
    const res = await smtpSend(raw, { from: 'bounces@example.com', to: [rcpt] });
    expect(res.ok, JSON.stringify(res.replies)).toBe(true);
    const mail = await waitForMail((m) => m.originalTo === rcpt);
    expect(mail.returnPath).toBe('bounces@example.com');
    const results = await verify(toCrlf(mail.raw), dns);
    expect(results.map((r) => [r.selector, r.status.result])).toEqual([
      ['rsa1', 'pass'],
      ['ed1', 'pass'],
    ]);
  });

  it('through /usr/sbin/sendmail: the delivered copy passes', async () => {
    const rcpt = `dkim-sendmail-${randomUUID().slice(0, 8)}@oracle.test`;
    const raw = await signedMessage(rcpt);
    const res = await postfixSendmail(raw, { from: 'bounces@example.com', to: [rcpt] });
    expect(res.code, res.stderr).toBe(0);
    const mail = await waitForMail((m) => m.originalTo === rcpt);
    const results = await verify(toCrlf(mail.raw), dns);
    expect(results.map((r) => r.status.result)).toEqual(['pass', 'pass']);
  });

  it('a hand-written multipart message signed by dkimSign passes after SMTP; a tampered copy does not', async () => {
    const rcpt = `dkim-raw-${randomUUID().slice(0, 8)}@oracle.test`;
    const text = multipartMessage
      .toString('latin1')
      .replace('To: a@example.org, b@example.net', `To: ${rcpt}`);
    const shopDns = {
      'rsa1._domainkey.shop.example.com': rsa.txt,
      'ed1._domainkey.shop.example.com': ed.txt,
    };
    const signed = dkimSign(Buffer.from(text, 'latin1'), [
      { ...dkim[0], domainName: 'shop.example.com' } as (typeof dkim)[0],
      { ...dkim[1], domainName: 'shop.example.com' } as (typeof dkim)[1],
    ]);
    const res = await smtpSend(signed, { from: 'bounces@shop.example.com', to: [rcpt] });
    expect(res.ok, JSON.stringify(res.replies)).toBe(true);
    const mail = await waitForMail((m) => m.originalTo === rcpt);
    const delivered = toCrlf(mail.raw);
    expect((await verify(delivered, shopDns)).map((r) => r.status.result)).toEqual([
      'pass',
      'pass',
    ]);
    const tampered = Buffer.from(
      delivered.toString('latin1').replace('your invoice is attached.', 'pay now.'),
      'latin1',
    );
    for (const r of await verify(tampered, shopDns)) expect(r.status.result).not.toBe('pass');
  });
});
