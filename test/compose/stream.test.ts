// compose() and composeStream() with attachments given as Buffers and as
// Readables: the same bytes either way (boundaries and Message-ID aside), the
// attachment decodes back exactly, and a stream never depends on the caller's
// buffers after composeStream returned.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { compose, composeStream } from '../../src/compose/compose.js';
import type { MessageInput } from '../../src/compose/types.js';
import { lint } from '../../src/lint/index.js';
import { parsePostal } from '../support/npm-parsers.js';

const now = () => new Date('2026-11-29T12:00:00Z');
const OPTIONS = { envelopeFrom: 'bounces@example.com', now };

function bytesOf(n: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  let x = 7;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

function message(content: Buffer | Readable, more: Buffer): MessageInput {
  return {
    from: 'Berichte <reports@example.com>',
    to: 'archiv@example.org',
    subject: 'Monatsbericht',
    text: 'Im Anhang der Monatsbericht.\n',
    attachments: [
      { filename: 'bericht.bin', content },
      { filename: 'klein.bin', content: more },
    ],
  };
}

/** Boundaries and the Message-ID are random by design. */
function normalise(raw: Buffer): string {
  return raw
    .toString('latin1')
    .replace(/=_mh_[0-9a-f]{24}_/g, '=_mh_X_')
    .replace(/^Message-ID: <[^>]*>/im, 'Message-ID: <X>');
}

async function drain(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

function chunked(bytes: Buffer, size: number): Readable {
  let p = 0;
  return new Readable({
    read() {
      const start = p;
      p += size;
      this.push(start < bytes.length ? bytes.subarray(start, p) : null);
    },
  });
}

describe('attachments as Buffers and as Readables', () => {
  const big = bytesOf(300_001);
  const small = bytesOf(100);

  it('give the same bytes from compose() and composeStream(), decoding back exactly', async () => {
    const reference = (await compose(message(big, small), OPTIONS)).raw;
    const outputs = [
      (await compose(message(chunked(big, 1000), small), OPTIONS)).raw,
      await drain((await composeStream(message(big, small), OPTIONS)).stream),
      await drain((await composeStream(message(chunked(big, 65_536), small), OPTIONS)).stream),
      await drain((await composeStream(message(chunked(big, 7), small), OPTIONS)).stream),
    ];
    for (const raw of outputs) expect(normalise(raw)).toBe(normalise(reference));
    const parsed = await parsePostal(reference);
    expect(
      parsed.attachments.map((a) => a.content.equals(a.filename === 'bericht.bin' ? big : small)),
    ).toEqual([true, true]);
    expect(lint(reference, { now: now() }).errors).toBe(0);
  });

  it('composeStream() reads a Buffer attachment before it returns', async () => {
    const content = Buffer.from(big);
    const { stream } = await composeStream(message(content, small), OPTIONS);
    content.fill(0);
    const parsed = await parsePostal(await drain(stream));
    expect(parsed.attachments[0]!.content.equals(big)).toBe(true);
  });

  it('composeStream() checks a message held in memory byte for byte and sends it as it is', async () => {
    const { stream } = await composeStream(message(big, small), OPTIONS);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    expect(chunks.length).toBe(1);
    expect(lint(chunks[0]!, { now: now() }).errors).toBe(0);
  });

  it('composeStream() passes a failing attachment stream on as a stream error', async () => {
    const source = new Readable({ read() {} });
    source.push(bytesOf(1000));
    setImmediate(() => source.destroy(new Error('upload aborted')));
    const { stream } = await composeStream(message(source, small), OPTIONS);
    await expect(drain(stream)).rejects.toThrow('upload aborted');
  });
});
