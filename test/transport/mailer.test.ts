import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { TransportError } from '../../src/send/error.js';
import { createMailer } from '../../src/send/mailer.js';
import { memoryTransport } from '../../src/send/memory.js';
import type { Transport } from '../../src/send/types.js';
import { MailHygieneError } from '../../src/wire/errors.js';

const input = {
  from: 'Shop <shop@example.com>',
  to: 'Erika Mustermann <erika@example.org>',
  cc: 'max@example.net',
  bcc: 'audit@example.com',
  subject: 'Ihre Bestellung',
  text: 'Grüße aus Köln',
};

/** The raw header block, for byte-level assertions. */
function headerBlock(raw: Buffer): string {
  const s = raw.toString('latin1');
  return s.slice(0, s.indexOf('\r\n\r\n'));
}

describe('createMailer', () => {
  it('composes and hands bytes plus envelope (with Bcc recipients) to the transport', async () => {
    const transport = memoryTransport();
    const mailer = createMailer({ transport, envelopeFrom: 'bounces@example.com' });
    const result = await mailer.send(input);

    expect(transport.messages).toHaveLength(1);
    const sent = transport.messages[0]!;
    expect(sent.envelope).toEqual({
      from: 'bounces@example.com',
      to: ['erika@example.org', 'max@example.net', 'audit@example.com'],
    });
    expect(result.envelope).toEqual(sent.envelope);
    expect(result.accepted).toEqual(sent.envelope.to);
    expect(result.rejected).toEqual([]);
    expect(result.messageId).toMatch(/^<[^<>\s]+@[^<>\s]+>$/);
    expect(sent.messageId).toBe(result.messageId);
    expect(headerBlock(sent.raw)).not.toMatch(/^bcc\s*:/im);

    // independent judge: postal-mime reads what was sent
    const parsed = await PostalMime.parse(sent.raw);
    expect(parsed.subject).toBe('Ihre Bestellung');
    expect(parsed.messageId).toBe(result.messageId);
    expect(parsed.to?.map((a) => a.address)).toEqual(['erika@example.org']);
    expect(parsed.cc?.map((a) => a.address)).toEqual(['max@example.net']);
    expect(parsed.bcc ?? []).toEqual([]);
    expect(parsed.text?.trim()).toBe('Grüße aus Köln');
  });

  it('per-send overrides win over the mailer options', async () => {
    const transport = memoryTransport();
    const mailer = createMailer({ transport, envelopeFrom: 'bounces@example.com' });
    await mailer.send(input, { envelopeFrom: 'other-bounces@example.com' });
    await mailer.send(input);
    expect(transport.messages.map((m) => m.envelope.from)).toEqual([
      'other-bounces@example.com',
      'bounces@example.com',
    ]);
  });

  it('a refused input never reaches the transport', async () => {
    const transport = memoryTransport();
    const mailer = createMailer({ transport });
    await expect(
      mailer.send({ ...input, subject: 'Hello\r\nBcc: victim@example.net' }),
    ).rejects.toBeInstanceOf(MailHygieneError);
    expect(transport.messages).toHaveLength(0);
  });

  it('passes a transport failure through unchanged', async () => {
    const failure = new TransportError('TRANSPORT_FAILED', '451 try later', {
      temporary: true,
      responseCode: 451,
    });
    const transport: Transport = {
      name: 'failing',
      send: async () => {
        throw failure;
      },
    };
    await expect(createMailer({ transport }).send(input)).rejects.toBe(failure);
  });

  it('close() closes the transport', async () => {
    let closed = 0;
    const transport: Transport = {
      name: 'closable',
      send: async (m) => ({ accepted: m.envelope.to, rejected: [] }),
      close: async () => {
        closed++;
      },
    };
    await createMailer({ transport }).close();
    expect(closed).toBe(1);
  });

  it('needs a transport', () => {
    expect(() => createMailer({} as never)).toThrow(MailHygieneError);
  });
});

describe('createMailer: compose() and sendComposed()', () => {
  it('compose() returns what send() would send; sendComposed() sends it as it is', async () => {
    const transport = memoryTransport();
    const mailer = createMailer({ transport, envelopeFrom: 'bounces@example.com' });
    const message = await mailer.compose(input);
    expect(transport.messages).toHaveLength(0);
    const result = await mailer.sendComposed(message);
    const sent = transport.messages[0]!;
    expect(sent.raw.equals(message.raw)).toBe(true);
    expect(sent.envelope).toEqual(message.envelope);
    expect(message.envelope.from).toBe('bounces@example.com');
    expect(result.messageId).toBe(message.messageId);
  });

  it('sendComposed() refuses what is not a composed message, and sends nothing after close()', async () => {
    const transport = memoryTransport();
    const mailer = createMailer({ transport });
    await expect(
      mailer.sendComposed({ raw: 'x', envelope: { from: '', to: [] } } as never),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'message' });
    const message = await mailer.compose(input);
    await mailer.close();
    await expect(mailer.sendComposed(message)).rejects.toBeInstanceOf(TransportError);
    expect(transport.messages).toHaveLength(0);
  });
});
