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

const TRAILING_CRLFS = /(?:\r\n)+$/;

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
  let partial = '';
  let pendingEmpty = 0;
  let wroteAny = false;
  let done = false;

  const emit = (text: string): void => {
    if (pendingEmpty > 0) {
      hash.update('\r\n'.repeat(pendingEmpty), 'latin1');
      pendingEmpty = 0;
    }
    hash.update(text, 'latin1');
    wroteAny = true;
  };

  /** Takes complete lines (ending in CRLF) and hashes what is certain. */
  const consumeLines = (lines: string): void => {
    const canon = relaxed ? relaxBodyLines(lines) : lines;
    const tail = TRAILING_CRLFS.exec(canon);
    // canon always ends with CRLF here, so tail is never null
    const tailLength = tail ? tail[0].length : 0;
    const head = canon.slice(0, canon.length - tailLength);
    const tailCount = tailLength / 2;
    if (head === '') {
      pendingEmpty += tailCount;
      return;
    }
    // the last non-empty line keeps its own CRLF; further CRLFs are empty lines
    emit(`${head}\r\n`);
    pendingEmpty = tailCount - 1;
  };

  const hasher: BodyHasher = {
    update(chunk) {
      if (done) throw new Error('body hasher already finished');
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1');
      const data = partial + text;
      // Cut after the last LF that is preceded by CR: a CR at the end of a
      // chunk may be the first half of a CRLF split across chunks.
      const end = data.lastIndexOf('\r\n');
      if (end < 0) {
        partial = data;
        return hasher;
      }
      partial = data.slice(end + 2);
      consumeLines(data.slice(0, end + 2));
      return hasher;
    },
    digest() {
      if (done) throw new Error('body hasher already finished');
      done = true;
      if (partial !== '') {
        // A last line without CRLF gets one (both canonicalizations).
        const line = relaxed ? relaxBodyLines(partial).replace(/[ \t]+$/, '') : partial;
        if (line !== '') emit(`${line}\r\n`);
      }
      // simple: an empty body is a single CRLF; relaxed: it is empty (errata 3192 reading used by all verifiers)
      if (!relaxed && !wroteAny) hash.update('\r\n', 'latin1');
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
  return createBodyHasher(canonicalization).update(body).digest();
}
