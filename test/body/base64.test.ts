// The base64 encoders against Node's unwrapped base64 cut into 76-character
// lines, on sizes around the line (57 bytes) and block (57 × 1024 bytes)
// boundaries and on chunkings that split lines and 3-byte groups anywhere.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  base64Length,
  base64Stream,
  encodeBase64,
  writeBase64,
  writeBase64Pieces,
} from '../../src/wire/body/base64.js';
import { readChunks } from '../../src/wire/body/base64-input.js';

/** The definition: RFC 2045 base64, CRLF after every 76 characters but the last line. */
function reference(bytes: Uint8Array): string {
  return (
    Buffer.from(bytes)
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\r\n');
}

function bytesOf(n: number, seed = n): Buffer {
  const b = Buffer.allocUnsafe(n);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

async function collect(it: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const c of it) out.push(c);
  return out;
}

function cut(bytes: Buffer, sizes: (i: number) => number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let p = 0, i = 0; p < bytes.length; i++) {
    const n = sizes(i);
    chunks.push(bytes.subarray(p, p + n));
    p += n;
  }
  return chunks;
}

const BLOCK = 57 * 1024;
const SIZES = [
  0,
  1,
  2,
  3,
  4,
  55,
  56,
  57,
  58,
  113,
  114,
  115,
  171,
  1000,
  BLOCK - 57,
  BLOCK - 1,
  BLOCK,
  BLOCK + 1,
  BLOCK + 57,
  2 * BLOCK + 2,
  57 * 1152,
  57 * 1152 + 1,
  65536,
  200_003,
];

describe('encodeBase64 / writeBase64', () => {
  it('matches the reference on sizes around line and block boundaries', () => {
    for (const n of SIZES) {
      const input = bytesOf(n);
      const out = encodeBase64(input);
      expect(out.length, `size ${n}`).toBe(base64Length(n));
      expect(out.toString('latin1'), `size ${n}`).toBe(reference(input));
    }
  });

  it('writes only its own range, at any offset, into plain Uint8Arrays', () => {
    for (const n of [0, 1, 58, BLOCK + 3, 3 * BLOCK]) {
      for (const offset of [0, 1, 2, 3]) {
        // A view that starts at an odd byte offset of its ArrayBuffer, as input and as output.
        const input = new Uint8Array(new ArrayBuffer(n + 5), 3, n);
        input.set(bytesOf(n, offset));
        const out = new Uint8Array(new ArrayBuffer(base64Length(n) + offset + 9), 1);
        out.fill(0xee);
        const end = writeBase64(input, out, offset);
        expect(end).toBe(offset + base64Length(n));
        expect(Buffer.from(out.subarray(offset, end)).toString('latin1')).toBe(reference(input));
        expect(out.subarray(0, offset).every((b) => b === 0xee)).toBe(true);
        expect(out.subarray(end).every((b) => b === 0xee)).toBe(true);
      }
    }
  });
});

describe('writeBase64Pieces', () => {
  it('encodes pieces as one body, lines running across piece boundaries', () => {
    const input = bytesOf(60_001, 9);
    const expected = reference(input);
    for (const sizes of [
      () => 1,
      (i: number) => 1 + ((i * 5) % 7),
      (i: number) => [100, 1000, 31, 57, 114][i % 5]!,
      () => 65_536,
    ]) {
      const pieces = cut(input, sizes);
      pieces.splice(1, 0, Buffer.alloc(0));
      const out = Buffer.alloc(base64Length(input.length) + 4, 0xee);
      const end = writeBase64Pieces(pieces, out, 2);
      expect(end).toBe(2 + base64Length(input.length));
      expect(out.toString('latin1', 2, end)).toBe(expected);
      expect([out[0], out[1], out[end], out[end + 1]]).toEqual([0xee, 0xee, 0xee, 0xee]);
    }
    expect(writeBase64Pieces([], Buffer.alloc(0), 0)).toBe(0);
    expect(writeBase64Pieces([Buffer.alloc(0)], Buffer.alloc(0), 0)).toBe(0);
  });
});

describe('base64Stream', () => {
  const input = bytesOf(60_001, 42); // over one 58,368-byte block
  const expected = reference(input);
  const chunkings: Array<[string, (i: number) => number]> = [
    ['1-byte chunks', () => 1],
    ['2-byte chunks', () => 2],
    ['56-byte chunks', () => 56],
    ['58-byte chunks', () => 58],
    ['chunks of 1–7 bytes', (i) => 1 + ((i * 5) % 7)],
    ['chunks not a multiple of 3 or 57', (i) => [100, 1000, 31, 65_537][i % 4]!],
    ['64 KiB chunks', () => 65_536],
    ['one big chunk', () => input.length],
  ];

  for (const [name, sizes] of chunkings) {
    it(`matches encodeBase64 with ${name}`, async () => {
      const out = await collect(base64Stream(Readable.from(cut(input, sizes))));
      expect(Buffer.concat(out).toString('latin1')).toBe(expected);
    });
  }

  it('handles empty input, empty chunks and string chunks', async () => {
    expect(await collect(base64Stream(Readable.from([])))).toEqual([]);
    const withEmpty = [
      Buffer.alloc(0),
      input.subarray(0, 100),
      Buffer.alloc(0),
      input.subarray(100, 1000),
    ];
    const out = await collect(base64Stream(Readable.from(withEmpty)));
    expect(Buffer.concat(out).toString('latin1')).toBe(reference(input.subarray(0, 1000)));
    const text = 'Grüße, '.repeat(300);
    const strings = (async function* () {
      for (let i = 0; i < text.length; i += 13) yield text.slice(i, i + 13);
    })();
    const fromStrings = await collect(base64Stream(strings));
    expect(Buffer.concat(fromStrings).toString('latin1')).toBe(reference(Buffer.from(text)));
  });

  it('yields fresh buffers of at most 1152 lines, whatever the chunk size', async () => {
    const big = bytesOf(57 * 5000 + 7, 3);
    const out = await collect(base64Stream(Readable.from([big])));
    // Kept until the end: a reused buffer would have been overwritten by now.
    expect(Buffer.concat(out).toString('latin1')).toBe(reference(big));
    for (const c of out) expect(c.length).toBeLessThanOrEqual(base64Length(57 * 1152) + 2);
    expect(new Set(out.map((c) => c.buffer)).size).toBe(out.length);
  });

  it('gets every chunk of a synchronously pushing source on its own (no merged copies)', async () => {
    const chunks = cut(bytesOf(10 * 65_536), () => 65_536);
    let i = 0;
    const source = new Readable({
      read() {
        this.push(i < chunks.length ? chunks[i++] : null);
      },
    });
    const out = await collect(base64Stream(source));
    expect(Buffer.concat(out).toString('latin1')).toBe(reference(Buffer.concat(chunks)));
    // 65,536 bytes are 1,149 lines and 43 carried bytes: one output per input chunk, plus the tail.
    expect(out.length).toBe(chunks.length + 1);
  });
});

describe('readChunks', () => {
  it('yields the pushed chunks as they are', async () => {
    const chunks = [Buffer.from('ab'), Buffer.from('cde'), Buffer.from('f')];
    let i = 0;
    const source = new Readable({
      read() {
        this.push(i < chunks.length ? chunks[i++] : null);
      },
    });
    const got = await collect(readChunks(source) as AsyncIterable<Buffer>);
    expect(got).toEqual(chunks);
    expect(got[1]).toBe(chunks[1]); // the same object: not copied
  });

  it('yields strings from a stream with an encoding', async () => {
    const source = Readable.from([Buffer.from('Grüße'), Buffer.from(' aus Köln')], {
      objectMode: false,
    });
    source.setEncoding('utf8');
    const got = [];
    for await (const c of readChunks(source)) got.push(c);
    expect(got.join('')).toBe('Grüße aus Köln');
    expect(got.every((c) => typeof c === 'string')).toBe(true);
  });

  it('throws the error the source fails with', async () => {
    const source = new Readable({ read() {} });
    source.push(Buffer.from('abc'));
    setImmediate(() => source.destroy(new Error('disk on fire')));
    const got: Array<Buffer | string> = [];
    await expect(
      (async () => {
        for await (const c of readChunks(source)) got.push(c);
      })(),
    ).rejects.toThrow('disk on fire');
    expect(got).toEqual([Buffer.from('abc')]);
  });

  it('throws on a premature close', async () => {
    const source = new Readable({ read() {} });
    setImmediate(() => source.destroy());
    await expect(collect(readChunks(source) as AsyncIterable<Buffer>)).rejects.toMatchObject({
      code: 'ERR_STREAM_PREMATURE_CLOSE',
    });
  });

  it('destroys the source when the reader stops early, and not after a normal end', async () => {
    const endless = new Readable({
      read() {
        this.push(Buffer.alloc(10));
      },
    });
    for await (const _ of readChunks(endless)) break;
    expect(endless.destroyed).toBe(true);

    const short = Readable.from([Buffer.from('x')], { autoDestroy: false });
    await collect(readChunks(short) as AsyncIterable<Buffer>);
    expect(short.readableEnded).toBe(true);
    expect(short.destroyed).toBe(false);
  });

  it('passes a source error through base64Stream', async () => {
    const source = new Readable({ read() {} });
    source.push(bytesOf(100));
    setImmediate(() => source.destroy(new Error('gone')));
    await expect(collect(base64Stream(source))).rejects.toThrow('gone');
  });
});
