/** Signatures made through compose()/composeStream() verify with mailauth. */
import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { compose, composeStream } from '../../src/compose/compose.js';
import { MailHygieneError } from '../../src/wire/errors.js';
import { ed25519Key, rsaKey, verify } from './helpers.js';

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

const input = () => ({
  from: 'Jürgen Müller <juergen@example.com>',
  to: ['Erika <erika@example.org>', 'max@example.net'],
  cc: 'team@example.org',
  replyTo: 'support@example.com',
  subject: 'Quarterly report for the Cologne office, with an attachment and some very long lines',
  text: `${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(30)}\nGrüße\n\n\n`,
  html: '<p>Grüße aus <b>Köln</b></p>',
  attachments: [
    { filename: 'report.pdf', content: Buffer.alloc(20_000, 0x25), contentType: 'application/pdf' },
  ],
  listUnsubscribe: { url: 'https://example.com/u/1', oneClick: true },
});

describe('compose with options.dkim', () => {
  test('RSA and Ed25519 signatures both pass', async () => {
    const { raw } = await compose(input(), { envelopeFrom: 'bounces@example.com', dkim });
    const results = await verify(raw, dns);
    expect(results.map((r) => [r.selector, r.status.result])).toEqual([
      ['rsa1', 'pass'],
      ['ed1', 'pass'],
    ]);
    // List-Unsubscribe and -Post are covered, so a receiver can trust one-click unsubscribe
    expect(results[0]?.signingHeaders?.keys).toMatch(/List-Unsubscribe-Post/i);
  });

  test('composeStream output with a streamed attachment verifies', async () => {
    const msg = input();
    const { stream } = await composeStream(
      {
        ...msg,
        attachments: [{ filename: 'big.bin', content: Readable.from([Buffer.alloc(100_000, 1)]) }],
      },
      { envelopeFrom: 'bounces@example.com', dkim },
    );
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(Buffer.from(c));
    const results = await verify(Buffer.concat(chunks), dns);
    expect(results.map((r) => r.status.result)).toEqual(['pass', 'pass']);
  });

  test('composeStream with DKIM builds the message once, as compose does', async () => {
    // Each build reads the clock once for Date; signing reads it once for t=.
    const calls = { compose: 0, stream: 0 };
    const clock = (k: keyof typeof calls) => () => {
      calls[k]++;
      return new Date('2026-01-02T03:04:05Z');
    };
    await compose(input(), { envelopeFrom: 'bounces@example.com', dkim, now: clock('compose') });
    const { stream } = await composeStream(input(), {
      envelopeFrom: 'bounces@example.com',
      dkim,
      now: clock('stream'),
    });
    for await (const _ of stream);
    expect(calls.stream).toBe(calls.compose);
  });

  test('unaligned d= is refused by compose', async () => {
    await expect(
      compose(input(), { dkim: { ...dkim[0], domainName: 'esp.example.net' } as (typeof dkim)[0] }),
    ).rejects.toSatisfy(
      (e: unknown) => e instanceof MailHygieneError && e.code === 'DKIM_UNALIGNED',
    );
  });
});
