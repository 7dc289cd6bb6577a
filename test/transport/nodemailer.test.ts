import { createTransport } from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { TransportError } from '../../src/send/error.js';
import {
  mapNodemailerError,
  mapNodemailerInfo,
  type NodemailerInfo,
  type NodemailerLikeTransporter,
  nodemailerTransport,
} from '../../src/send/nodemailer.js';
import { chunkedStream, sampleRaw } from './helpers.js';

const envelope = { from: 'bounce@example.com', to: ['erika@example.org', 'max@example.net'] };

describe('nodemailerTransport', () => {
  it('hands { envelope, raw } to a stream transporter, bytes unchanged', async () => {
    const transporter = createTransport({
      streamTransport: true,
      buffer: true,
      newline: 'windows',
    });
    const raw = sampleRaw();
    let seen: Buffer | undefined;
    const spy: NodemailerLikeTransporter = {
      async sendMail(mail) {
        const info = (await transporter.sendMail(mail as never)) as unknown as {
          message: Buffer;
          envelope: { from: string; to: string[] };
        };
        seen = info.message;
        expect(info.envelope).toMatchObject({ from: envelope.from, to: envelope.to });
        return info as NodemailerInfo;
      },
    };
    const result = await nodemailerTransport(spy).send({ raw, envelope });
    expect(seen!.equals(raw)).toBe(true);
    // stream transporters report no recipient lists: the whole envelope was handed over
    expect(result.accepted).toEqual(envelope.to);
    expect(result.rejected).toEqual([]);
  });

  it('hands a stream through a JSON transporter', async () => {
    const transporter = createTransport({ jsonTransport: true });
    const raw = sampleRaw({ body: 'Grüße' });
    const captured: Array<{ envelope: unknown }> = [];
    const spy: NodemailerLikeTransporter = {
      async sendMail(mail) {
        captured.push({ envelope: mail.envelope });
        return (await transporter.sendMail(mail as never)) as never;
      },
    };
    await nodemailerTransport(spy).send({ raw: chunkedStream(raw), envelope });
    // a stream's bytes are unknown in advance, so 8BITMIME is declared
    expect(captured[0]!.envelope).toMatchObject({ ...envelope, use8BitMime: true });
  });

  it('passes size and declares 8BITMIME only for 8-bit Buffers', async () => {
    const envelopes: unknown[] = [];
    const t = nodemailerTransport({
      async sendMail(mail) {
        envelopes.push(mail.envelope);
        return { accepted: mail.envelope.to, rejected: [], response: '250 ok' };
      },
    });
    const ascii = sampleRaw({ body: 'ascii' });
    const eight = sampleRaw({ body: 'Grüße' });
    await t.send({ raw: ascii, envelope });
    await t.send({ raw: eight, envelope });
    expect(envelopes[0]).toEqual({ ...envelope, size: ascii.length });
    expect(envelopes[1]).toEqual({ ...envelope, size: eight.length, use8BitMime: true });
  });

  it('maps a thrown nodemailer error into a TransportError', async () => {
    const t = nodemailerTransport({
      async sendMail() {
        throw Object.assign(new Error('Message failed: 452 4.3.1 Insufficient system storage'), {
          code: 'EMESSAGE',
          responseCode: 452,
          response: '452 4.3.1 Insufficient system storage',
          command: 'DATA',
        });
      },
    });
    const err = (await t.send({ raw: sampleRaw(), envelope }).catch((e) => e)) as TransportError;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.temporary).toBe(true);
    expect(err.enhancedCode).toBe('4.3.1');
    expect(err.command).toBe('DATA');
  });

  it('refuses something that is not a transporter', () => {
    expect(() => nodemailerTransport({} as NodemailerLikeTransporter)).toThrow(TransportError);
  });
});

describe('mapNodemailerError', () => {
  it.each([
    [{ code: 'ECONNECTION', message: 'Connection closed' }, true],
    [{ code: 'ETIMEDOUT', message: 'Timeout' }, true],
    [{ code: 'ESOCKET', originalCode: 'ECONNREFUSED', message: 'refused' }, true],
    [{ code: 'EENVELOPE', message: 'No recipients defined' }, false],
    [{ code: 'EAUTH', responseCode: 535, response: '535 5.7.8 bad' }, false],
    [{ code: 'EAUTH', responseCode: 454, response: '454 4.7.0 try later' }, true],
    [{ code: 'ECONFIG', message: 'bad option' }, false],
    [{ code: 'EMESSAGE', response: '554 5.6.0 bad body' }, false],
    [new Error('something odd'), false],
  ])('%j → temporary=%s', (input, temporary) => {
    const err = mapNodemailerError(input);
    expect(err.temporary).toBe(temporary);
    expect(err.permanent).toBe(!temporary);
  });

  it('reads the reply code from the response when responseCode is missing', () => {
    const err = mapNodemailerError({ response: '550-5.1.1 No such user\r\n550 5.1.1 here' });
    expect(err.responseCode).toBe(550);
    expect(err.enhancedCode).toBe('5.1.1');
  });
});

describe('mapNodemailerInfo', () => {
  it('accepting nobody (LMTP) is an error, never success', () => {
    const rejectedError = Object.assign(new Error('Message failed'), {
      responseCode: 452,
      response: '452 4.2.2 Over quota',
      recipient: 'erika@example.org',
    });
    let thrown: unknown;
    try {
      mapNodemailerInfo(
        { accepted: [], rejected: ['erika@example.org'], rejectedErrors: [rejectedError] },
        ['erika@example.org'],
      );
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(TransportError);
    expect((thrown as TransportError).temporary).toBe(true);
    expect((thrown as TransportError).rejected).toEqual(['erika@example.org']);
  });

  it('keeps partial results with reasons', () => {
    const r = mapNodemailerInfo(
      {
        accepted: [{ address: 'a@example.org' }],
        rejected: ['b@example.org'],
        rejectedErrors: [
          { responseCode: 550, response: '550 5.1.1 unknown', recipient: 'b@example.org' },
        ],
        response: '250 2.0.0 Ok',
      },
      ['a@example.org', 'b@example.org'],
    );
    expect(r.accepted).toEqual(['a@example.org']);
    expect(r.rejected).toEqual(['b@example.org']);
    expect(r.rejectedErrors![0]!.error.permanent).toBe(true);
    expect(r.response).toBe('250 2.0.0 Ok');
  });
});
