/** Base64 with 76-character lines (RFC 2045 §6.8), for Buffers and streams. */
import type { Readable } from 'node:stream';

const LINE_BYTES = 57; // 57 input bytes = 76 base64 characters
const BLOCK_LINES = 4096;

/** Encoded size including CRLF after every line but the last. */
export function base64Length(n: number): number {
  const chars = Math.ceil(n / 3) * 4;
  const lines = Math.ceil(chars / 76);
  return chars + Math.max(0, lines - 1) * 2;
}

/**
 * Encodes `input` into `out` at `offset` (the caller sized `out` with
 * {@link base64Length}); returns the new offset. Lines end in CRLF except the last.
 */
export function writeBase64(input: Uint8Array, out: Buffer, offset: number): number {
  const buf = Buffer.isBuffer(input)
    ? input
    : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  let o = offset;
  const block = LINE_BYTES * BLOCK_LINES;
  for (let start = 0; start < buf.length; start += block) {
    const end = Math.min(start + block, buf.length);
    const encoded = Buffer.from(buf.toString('base64', start, end), 'latin1');
    for (let s = 0; s < encoded.length; s += 76) {
      if (o !== offset) {
        out[o++] = 13;
        out[o++] = 10;
      }
      o += encoded.copy(out, o, s, Math.min(s + 76, encoded.length));
    }
  }
  return o;
}

/** Base64 of a whole buffer, lines joined by CRLF, no final CRLF. */
export function encodeBase64(input: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(base64Length(input.length));
  const end = writeBase64(input, out, 0);
  return out.subarray(0, end);
}

/**
 * Streams base64 lines from a Readable without holding it in memory: carries the
 * remainder of each chunk that does not fill a 57-byte line into the next.
 */
export async function* base64Stream(
  source: Readable | AsyncIterable<Uint8Array | string>,
): AsyncGenerator<Buffer> {
  let carry: Buffer = Buffer.alloc(0);
  let first = true;
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
    const data =
      typeof chunk === 'string'
        ? Buffer.from(chunk)
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const joined = carry.length ? Buffer.concat([carry, data]) : data;
    const usable = joined.length - (joined.length % LINE_BYTES);
    if (usable > 0) {
      const part = joined.subarray(0, usable);
      const out = Buffer.allocUnsafe(base64Length(usable) + 2);
      let o = 0;
      if (!first) {
        out[o++] = 13;
        out[o++] = 10;
      }
      o = writeBase64(part, out, o);
      first = false;
      yield out.subarray(0, o);
    }
    carry = Buffer.from(joined.subarray(usable));
  }
  if (carry.length > 0) {
    const out = Buffer.allocUnsafe(base64Length(carry.length) + 2);
    let o = 0;
    if (!first) {
      out[o++] = 13;
      out[o++] = 10;
    }
    o = writeBase64(carry, out, o);
    yield out.subarray(0, o);
  }
}
