// The renderer's output plumbing: base64 content written straight into one
// exact output buffer, read from a stream first when compose() needs a
// Buffer, or streamed; against the same message assembled the simple way
// (encodeBase64 per body, Buffer.concat).
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { encodeBase64 } from '../../src/wire/body/base64.js';
import {
  type Chunk,
  chunksToBuffer,
  chunksToBufferSync,
  chunksToIterable,
  encodeInMemory,
  isStreamed,
} from '../../src/wire/mime/render.js';

function bytesOf(n: number, seed = n): Buffer {
  const b = Buffer.allocUnsafe(n);
  let x = seed + 1;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

function readableOf(bytes: Buffer, size: (i: number) => number): Readable {
  let p = 0;
  let i = 0;
  return new Readable({
    read() {
      if (p >= bytes.length) this.push(null);
      else {
        const n = size(i++);
        this.push(bytes.subarray(p, p + n));
        p += n;
      }
    },
  });
}

const head = Buffer.from('Content-Type: multipart/mixed\r\n\r\n--b\r\n');
const mid = Buffer.from('\r\n--b\r\n');
const tail = Buffer.from('\r\n--b--\r\n');
const a = bytesOf(58_368 + 100, 1); // over one native-encoder block
const b = bytesOf(1_000, 2);
const expected = Buffer.concat([head, encodeBase64(a), mid, encodeBase64(b), tail]);

describe('chunksToBufferSync', () => {
  it('writes rendered bytes and base64 content into one buffer of the exact size', () => {
    const out = chunksToBufferSync([head, { base64: a }, mid, { base64: b }, tail]);
    expect(out.equals(expected)).toBe(true);
    expect(out.buffer.byteLength).toBe(expected.length); // one exact allocation, not a slice
  });

  it('encodes empty content as nothing and keeps a lone Buffer as its bytes', () => {
    expect(chunksToBufferSync([head, { base64: new Uint8Array(0) }, tail])).toEqual(
      Buffer.concat([head, tail]),
    );
    expect(chunksToBufferSync([head])).toEqual(head);
  });

  it('refuses a streamed body', () => {
    expect(() => chunksToBufferSync([head, { base64: Readable.from([a]) }])).toThrow(/streamed/);
  });
});

describe('chunksToBuffer', () => {
  for (const [name, size] of [
    ['1-byte chunks', () => 1],
    ['chunks of 1–200 bytes', (i: number) => 1 + ((i * 37) % 200)],
    ['chunks not a multiple of 3 or 57', (i: number) => [100, 1000, 31, 65_537][i % 4]!],
    ['64 KiB chunks', () => 65_536],
  ] as const) {
    it(`reads a streamed body (${name}) and encodes it once`, async () => {
      const out = await chunksToBuffer([
        head,
        { base64: readableOf(a, size) },
        mid,
        { base64: b },
        tail,
      ]);
      expect(out.equals(expected)).toBe(true);
    });
  }

  it('reads string chunks as UTF-8', async () => {
    const text = 'Grüße aus Köln. '.repeat(100);
    const source = Readable.from([Buffer.from(text)], { objectMode: false });
    source.setEncoding('utf8');
    const out = await chunksToBuffer([head, { base64: source }, tail]);
    expect(out).toEqual(Buffer.concat([head, encodeBase64(Buffer.from(text)), tail]));
  });
});

describe('streaming', () => {
  it('encodes content in memory up front and leaves streams streamed', () => {
    const content = Buffer.from(b);
    const stream = Readable.from([a]);
    const chunks: Chunk[] = encodeInMemory([head, { base64: content }, { base64: stream }]);
    content.fill(0); // the caller may reuse its buffer once composeStream returned
    expect(chunks[0]).toBe(head);
    expect(chunks[1]).toEqual(encodeBase64(b));
    expect(chunks[2]).toEqual({ base64: stream });
    expect(chunks.map(isStreamed)).toEqual([false, false, true]);
  });

  it('yields every byte in order', async () => {
    const parts: Buffer[] = [];
    const chunks: Chunk[] = [head, { base64: readableOf(a, () => 1000) }, mid, { base64: b }, tail];
    for await (const c of chunksToIterable(chunks)) parts.push(c);
    expect(Buffer.concat(parts).equals(expected)).toBe(true);
  });
});
