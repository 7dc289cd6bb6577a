/** Base64 with 76-character lines (RFC 2045 §6.8), for Buffers and streams. */
import type { Readable } from 'node:stream';

const LINE_BYTES = 57; // 57 input bytes = 76 base64 characters

/** Encoded size including CRLF after every line but the last. */
export function base64Length(n: number): number {
  const chars = Math.ceil(n / 3) * 4;
  const lines = Math.ceil(chars / 76);
  return chars + Math.max(0, lines - 1) * 2;
}

/** The base64 alphabet as byte values. */
const ALPHABET = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
/** Two output characters per 12 input bits: one lookup instead of two. */
const PAIRS = (() => {
  const t = new Uint16Array(4096);
  for (let i = 0; i < 4096; i++) t[i] = (ALPHABET[i >> 6]! << 8) | ALPHABET[i & 63]!;
  return t;
})();
/** The same pairs in memory order (first character in the low byte on little-endian), for 16-bit stores. */
const PAIRS_MEM = (() => {
  const t = new Uint16Array(4096);
  const b = new Uint8Array(t.buffer);
  for (let i = 0; i < 4096; i++) {
    b[2 * i] = ALPHABET[i >> 6]!;
    b[2 * i + 1] = ALPHABET[i & 63]!;
  }
  return t;
})();
const CRLF_MEM = new Uint16Array(new Uint8Array([13, 10]).buffer)[0]!;

/** Full lines with 16-bit stores; `o16` indexes 16-bit units. Returns the new unit index. */
function writeLines16(
  input: Uint8Array,
  out16: Uint16Array,
  o16: number,
  full: number,
  crlfFirst: boolean,
): number {
  let o = o16;
  let first = !crlfFirst;
  for (let i = 0; i < full; ) {
    if (!first) out16[o++] = CRLF_MEM;
    first = false;
    const end = i + LINE_BYTES;
    for (; i < end; i += 3) {
      const t = (input[i]! << 16) | (input[i + 1]! << 8) | input[i + 2]!;
      out16[o] = PAIRS_MEM[t >>> 12]!;
      out16[o + 1] = PAIRS_MEM[t & 4095]!;
      o += 2;
    }
  }
  return o;
}

/**
 * Encodes `input` into `out` at `offset` (the caller sized `out` with
 * {@link base64Length}); returns the new offset. Lines end in CRLF except the last.
 * Table-driven and written straight into `out`: no intermediate string, no
 * per-line copy (the Buffer/string round trip of `toString('base64')` plus a
 * copy per 76-character line cost more than the encoding itself).
 */
export function writeBase64(input: Uint8Array, out: Uint8Array, offset: number): number {
  const n = input.length;
  const full = n - (n % LINE_BYTES);
  let o = offset;
  let i = 0;
  const abs = out.byteOffset + offset;
  if ((abs & 1) === 0 && full > 0) {
    // Even start: every line starts even (78 octets per line), so write 16 bits at a time.
    const out16 = new Uint16Array(out.buffer, abs, (out.length - offset) >>> 1);
    o = offset + 2 * (writeLines16(input, out16, 0, full, false) - 0);
    i = full;
  }
  while (i < full) {
    if (o !== offset) {
      out[o++] = 13;
      out[o++] = 10;
    }
    const end = i + LINE_BYTES;
    for (; i < end; i += 3) {
      const t = (input[i]! << 16) | (input[i + 1]! << 8) | input[i + 2]!;
      const hi = PAIRS[t >>> 12]!;
      const lo = PAIRS[t & 4095]!;
      out[o] = hi >>> 8;
      out[o + 1] = hi & 255;
      out[o + 2] = lo >>> 8;
      out[o + 3] = lo & 255;
      o += 4;
    }
  }
  if (i < n) {
    // The last, shorter line, with padding.
    if (o !== offset) {
      out[o++] = 13;
      out[o++] = 10;
    }
    for (; i + 3 <= n; i += 3) {
      const t = (input[i]! << 16) | (input[i + 1]! << 8) | input[i + 2]!;
      out[o++] = ALPHABET[t >>> 18]!;
      out[o++] = ALPHABET[(t >>> 12) & 63]!;
      out[o++] = ALPHABET[(t >>> 6) & 63]!;
      out[o++] = ALPHABET[t & 63]!;
    }
    const rest = n - i;
    if (rest > 0) {
      const t = (input[i]! << 16) | (rest === 2 ? input[i + 1]! << 8 : 0);
      out[o++] = ALPHABET[t >>> 18]!;
      out[o++] = ALPHABET[(t >>> 12) & 63]!;
      out[o++] = rest === 2 ? ALPHABET[(t >>> 6) & 63]! : 61;
      out[o++] = 61;
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
 * Streams base64 lines from a Readable without holding it in memory. The
 * remainder of each chunk that does not fill a 57-byte line waits in a small
 * carry buffer; each chunk costs one output allocation and no copy of the
 * chunk itself (garbage per chunk is what drives peak RSS while streaming).
 */
export async function* base64Stream(
  source: Readable | AsyncIterable<Uint8Array | string>,
): AsyncGenerator<Buffer> {
  const carry = Buffer.allocUnsafe(LINE_BYTES);
  let carryLen = 0;
  let first = true;
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
    const data =
      typeof chunk === 'string'
        ? Buffer.from(chunk)
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const total = carryLen + data.length;
    const usable = total - (total % LINE_BYTES);
    if (usable === 0) {
      data.copy(carry, carryLen);
      carryLen += data.length;
      continue;
    }
    const out = Buffer.allocUnsafe(base64Length(usable) + 2);
    let o = 0;
    if (!first) {
      out[o++] = 13;
      out[o++] = 10;
    }
    first = false;
    let start = 0;
    if (carryLen > 0) {
      // Complete the carried line with the head of this chunk.
      start = LINE_BYTES - carryLen;
      data.copy(carry, carryLen, 0, start);
      o = writeBase64(carry, out, o);
      carryLen = 0;
      if (usable > LINE_BYTES) {
        out[o++] = 13;
        out[o++] = 10;
      }
    }
    // Where whole lines stop in this chunk (`usable` counted the carried bytes too).
    const end = usable - (total - data.length);
    o = writeBase64(data.subarray(start, end), out, o);
    carryLen = data.copy(carry, 0, end);
    yield out.subarray(0, o);
  }
  if (carryLen > 0) {
    const out = Buffer.allocUnsafe(base64Length(carryLen) + 2);
    let o = 0;
    if (!first) {
      out[o++] = 13;
      out[o++] = 10;
    }
    o = writeBase64(carry.subarray(0, carryLen), out, o);
    yield out.subarray(0, o);
  }
}
