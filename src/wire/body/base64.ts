/** Base64 with 76-character lines (RFC 2045 §6.8), for Buffers and streams. */
import { Readable } from 'node:stream';
import { MAX_ENCODED_BODY_LINE } from '../limits.js';
import { readChunks } from './base64-input.js';

const LINE_CHARS = MAX_ENCODED_BODY_LINE;
/** Input bytes of one line: 3 bytes make 4 base64 characters, so 57 make 76. */
const LINE_BYTES = (LINE_CHARS / 4) * 3;

/**
 * Input bytes per call of Node's native encoder: whole lines, and a result
 * string (77,824 characters) that is an ordinary young-generation object.
 * Strings over 128 KiB go to V8's large-object space (encoding in 233 KB
 * blocks measured ~20× slower), strings over ~1 MB become external strings
 * that only a full GC frees; young strings die in the next scavenge.
 */
const BLOCK_BYTES = LINE_BYTES * 1024;

/**
 * Lines per Buffer the stream encoder yields: a 64 KiB input chunk (what fs
 * streams read) plus a carried line fits in one, and the Buffer (≤ 89.8 KB)
 * stays below glibc's 128 KiB mmap threshold, so freed output memory is
 * reused by the next chunks instead of being unmapped and faulted in again.
 */
const STREAM_LINES = 1152;

/** Encoded size including CRLF after every line but the last. */
export function base64Length(n: number): number {
  const chars = Math.ceil(n / 3) * 4;
  const lines = Math.ceil(chars / LINE_CHARS);
  return chars + Math.max(0, lines - 1) * 2;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/**
 * Writes unwrapped base64 `b64` (not empty) at `offset` as 76-character lines
 * joined by CRLF; returns the end. The string is first written where the
 * wrapped text will end, then each line but the last moves forward into its
 * place (one memmove per line). Line k moves forward by 2 × (lines − 1 − k),
 * so the CRLF written after it only covers bytes already moved, never line
 * k + 1; the last line is already in place.
 */
function writeWrapped(out: Buffer, offset: number, b64: string): number {
  const lines = Math.ceil(b64.length / LINE_CHARS);
  const end = offset + b64.length + 2 * (lines - 1);
  let from = end - b64.length;
  out.write(b64, from, 'latin1');
  let to = offset;
  for (let k = 1; k < lines; k++) {
    out.copyWithin(to, from, from + LINE_CHARS);
    to += LINE_CHARS;
    from += LINE_CHARS;
    out[to++] = 13;
    out[to++] = 10;
  }
  return end;
}

/**
 * Encodes `input` into `out` at `offset` (the caller sized `out` with
 * {@link base64Length}); returns the new offset. Lines end in CRLF except the last.
 * Node's native encoder (SIMD in current Node) does the encoding in blocks of
 * whole lines; only the line breaks are inserted here. That measured ~1.8×
 * faster than a table-driven JS encoder writing 16-bit units, which in turn
 * beat one `toString('base64')` plus a copy per line.
 */
export function writeBase64(input: Uint8Array, out: Uint8Array, offset: number): number {
  const src = asBuffer(input);
  const dst = asBuffer(out);
  let o = offset;
  for (let i = 0; i < src.length; i += BLOCK_BYTES) {
    if (i > 0) {
      dst[o++] = 13;
      dst[o++] = 10;
    }
    o = writeWrapped(dst, o, src.toString('base64', i, Math.min(src.length, i + BLOCK_BYTES)));
  }
  return o;
}

/** Base64 of a whole buffer, lines joined by CRLF, no final CRLF. */
export function encodeBase64(input: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(base64Length(input.length));
  writeBase64(input, out, 0);
  return out;
}

/**
 * Streams base64 lines from a Readable without holding it in memory. The
 * remainder of each chunk that does not fill a 57-byte line waits in a small
 * carry buffer; each yielded Buffer is freshly allocated (a consumer may keep
 * it) and holds at most {@link STREAM_LINES} lines, whatever the input's
 * chunk size; no chunk is copied.
 */
export async function* base64Stream(
  source: Readable | AsyncIterable<Uint8Array | string>,
): AsyncGenerator<Buffer> {
  const carry = Buffer.allocUnsafe(LINE_BYTES);
  let carryLen = 0;
  let first = true; // no CRLF before the first line
  const chunks = source instanceof Readable ? readChunks(source) : source;
  for await (const chunk of chunks) {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : asBuffer(chunk);
    let pos = 0;
    if (carryLen > 0) {
      // Complete the carried line with the head of this chunk.
      pos = data.copy(carry, carryLen, 0, LINE_BYTES - carryLen);
      carryLen += pos;
      if (carryLen < LINE_BYTES) continue;
    }
    for (;;) {
      // The completed carried line (if any), then as many whole lines of `data` as fit.
      const carried = carryLen === LINE_BYTES ? 1 : 0;
      const whole = Math.floor((data.length - pos) / LINE_BYTES);
      const lines = Math.min(whole, STREAM_LINES - carried);
      if (lines + carried === 0) break;
      const out = Buffer.allocUnsafe(
        base64Length((lines + carried) * LINE_BYTES) + (first ? 0 : 2),
      );
      let o = 0;
      if (!first) {
        out[o++] = 13;
        out[o++] = 10;
      }
      first = false;
      if (carried) {
        o = writeBase64(carry, out, o);
        carryLen = 0;
        if (lines > 0) {
          out[o++] = 13;
          out[o++] = 10;
        }
      }
      writeBase64(data.subarray(pos, pos + lines * LINE_BYTES), out, o);
      pos += lines * LINE_BYTES;
      yield out;
    }
    carryLen = data.copy(carry, 0, pos);
  }
  if (carryLen > 0) {
    // The last, shorter line, with padding.
    const out = Buffer.allocUnsafe(base64Length(carryLen) + (first ? 0 : 2));
    let o = 0;
    if (!first) {
      out[o++] = 13;
      out[o++] = 10;
    }
    writeBase64(carry.subarray(0, carryLen), out, o);
    yield out;
  }
}

/**
 * Encodes content that arrived in pieces (a Readable read to its end) as one
 * base64 body into `out` at `offset` (sized with {@link base64Length} of the
 * total); returns the new offset. Lines run across piece boundaries: the bytes
 * of a line split between pieces wait in a 57-byte carry, nothing is joined.
 */
export function writeBase64Pieces(
  pieces: readonly Uint8Array[],
  out: Uint8Array,
  offset: number,
): number {
  const carry = Buffer.allocUnsafe(LINE_BYTES);
  let carryLen = 0;
  let o = offset;
  // Whole lines of `bytes` (or the last, short one); every line but the first follows a CRLF.
  const write = (bytes: Uint8Array): void => {
    if (o !== offset) {
      out[o++] = 13;
      out[o++] = 10;
    }
    o = writeBase64(bytes, out, o);
  };
  for (const piece of pieces) {
    const data = asBuffer(piece);
    let pos = 0;
    if (carryLen > 0) {
      pos = data.copy(carry, carryLen, 0, LINE_BYTES - carryLen);
      carryLen += pos;
      if (carryLen < LINE_BYTES) continue;
      write(carry);
      carryLen = 0;
    }
    const end = data.length - ((data.length - pos) % LINE_BYTES);
    if (end > pos) write(data.subarray(pos, end));
    carryLen = data.copy(carry, 0, end);
  }
  if (carryLen > 0) write(carry.subarray(0, carryLen));
  return o;
}
