/**
 * Incremental DKIM body hash (RFC 6376 §3.4.3, §3.4.4, §3.7). Feed the
 * rendered body in chunks of any size; the hasher keeps only the current
 * partial line and a count of pending empty lines, so a streamed message is
 * hashed without buffering it.
 */
import { createHash, type Hash } from 'node:crypto';
import { type Canonicalization, relaxBodyLines } from './canonicalize.js';

/** An incremental body hasher. */
export interface BodyHasher {
  /** Adds the next octets of the body (anything after the header/body separator). */
  update(chunk: Uint8Array | string): BodyHasher;
  /** Finishes and returns the base64 body hash (the `bh=` value). Call once. */
  digest(): string;
}

const EMPTY = Buffer.alloc(0);
const CRLF = Buffer.from('\r\n', 'latin1');
const DOUBLE_SPACE = Buffer.from('  ', 'latin1');
const SPACE_CRLF = Buffer.from(' \r\n', 'latin1');
/** One-shot hashing works in slices so no huge string is ever built. */
const SLICE = 1 << 20;

/**
 * Creates a body hasher. Empty lines at the end of the body are ignored as
 * both canonicalizations demand; because such lines may be followed by more
 * text in a later chunk, they are held back as a count and written only when
 * a non-empty line follows.
 *
 * @example
 * ```ts
 * const h = createBodyHasher('relaxed');
 * for await (const chunk of bodyStream) h.update(chunk);
 * const bh = h.digest();
 * ```
 */
export function createBodyHasher(
  canonicalization: Canonicalization = 'relaxed',
  algorithm: 'sha256' = 'sha256',
): BodyHasher {
  const hash: Hash = createHash(algorithm);
  const relaxed = canonicalization === 'relaxed';
  let partial: Buffer = EMPTY;
  let pendingEmpty = 0;
  let wroteAny = false;
  let done = false;

  const emit = (data: Buffer): void => {
    if (pendingEmpty > 0) {
      hash.update(Buffer.alloc(pendingEmpty * 2, CRLF));
      pendingEmpty = 0;
    }
    hash.update(data);
    wroteAny = true;
  };

  /** Relaxed rules for complete lines; most encoded bodies need no change, so check before rewriting. */
  const canonical = (lines: Buffer): Buffer => {
    if (!relaxed) return lines;
    if (lines.indexOf(0x09) < 0 && lines.indexOf(DOUBLE_SPACE) < 0 && lines.indexOf(SPACE_CRLF) < 0)
      return lines;
    return Buffer.from(relaxBodyLines(lines.toString('latin1')), 'latin1');
  };

  /** Takes complete lines (ending in CRLF) and hashes what is certain. */
  const consumeLines = (lines: Buffer): void => {
    const canon = canonical(lines);
    // count the CRLFs at the end: the last one ends the last line, the rest are empty lines
    let end = canon.length;
    while (end >= 2 && canon[end - 1] === 0x0a && canon[end - 2] === 0x0d) end -= 2;
    const tailCount = (canon.length - end) / 2;
    if (end === 0) {
      pendingEmpty += tailCount;
      return;
    }
    // the last non-empty line keeps its own CRLF; further CRLFs are empty lines
    emit(canon.subarray(0, end + 2));
    pendingEmpty = tailCount - 1;
  };

  const hasher: BodyHasher = {
    update(chunk) {
      if (done) throw new Error('body hasher already finished');
      let bytes =
        typeof chunk === 'string'
          ? Buffer.from(chunk, 'latin1')
          : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (partial.length > 0) {
        // Finish the carried-over line first; only that short piece is copied.
        // A CR at the end of the carry may pair with an LF at the start of this chunk.
        const split = partial[partial.length - 1] === 0x0d && bytes[0] === 0x0a;
        const first = split ? -1 : bytes.indexOf(CRLF);
        if (!split && first < 0) {
          partial = Buffer.concat([partial, bytes]);
          return hasher;
        }
        const take = split ? 1 : first + 2;
        consumeLines(Buffer.concat([partial, bytes.subarray(0, take)]));
        partial = EMPTY;
        bytes = bytes.subarray(take);
      }
      const cut = bytes.lastIndexOf(CRLF);
      if (cut < 0) {
        // copy the remainder: the caller may reuse its buffer
        partial = Buffer.from(bytes);
        return hasher;
      }
      consumeLines(bytes.subarray(0, cut + 2));
      partial = Buffer.from(bytes.subarray(cut + 2));
      return hasher;
    },
    digest() {
      if (done) throw new Error('body hasher already finished');
      done = true;
      if (partial.length > 0) {
        // A last line without CRLF gets one (both canonicalizations).
        const text = partial.toString('latin1');
        // relaxBodyLines left at most one SP at the end.
        const line = relaxed ? relaxBodyLines(text).replace(/ $/, '') : text;
        if (line !== '') emit(Buffer.from(`${line}\r\n`, 'latin1'));
      }
      // simple: an empty body is a single CRLF; relaxed: it is empty (errata 3192 reading used by all verifiers)
      if (!relaxed && !wroteAny) hash.update(CRLF);
      return hash.digest('base64');
    },
  };
  return hasher;
}

/**
 * One-shot body hash of a complete body.
 *
 * @example
 * ```ts
 * bodyHash(Buffer.from('Hello\r\n')) // 'base64…'
 * ```
 */
export function bodyHash(
  body: Uint8Array | string,
  canonicalization: Canonicalization = 'relaxed',
): string {
  const h = createBodyHasher(canonicalization);
  const bytes = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
  for (let i = 0; i < bytes.length; i += SLICE) h.update(bytes.subarray(i, i + SLICE));
  return h.digest();
}
