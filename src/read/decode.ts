/**
 * Lazy decoding helpers for rules: transfer encodings (QP, base64) and
 * charsets. Nothing here runs unless a rule asks, so linting a message with a
 * large attachment never decodes the attachment.
 */
import { isUtf8 } from 'node:buffer';
import { type DecodedText, decodeBytes, has8bit, resolveCharset } from './charset.js';

/** Bytes as a binary string, one char per octet (keeps 8-bit bytes visible). */
function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export { has8bit };

/** True when a binary string has a char ≥ 0x80. */
export function has8bitString(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return true;
  return false;
}

/**
 * Strict UTF-8 validity (overlongs, surrogates and truncated sequences are
 * invalid): the same verdict as a fatal TextDecoder, without building a string.
 */
export function isValidUtf8(bytes: Uint8Array): boolean {
  return isUtf8(bytes);
}

/** Header bytes as text: UTF-8 when valid, else Latin-1 (so every byte stays visible). */
export function headerText(binary: string): string {
  if (!has8bitString(binary)) return binary;
  const bytes = Buffer.from(binary, 'latin1');
  return isValidUtf8(bytes) ? bytes.toString('utf8') : binary;
}

/** Value of a hex digit (either case), -1 for anything else. */
const HEX_VALUE = (() => {
  const t = new Int8Array(256).fill(-1);
  for (let i = 0; i < 16; i++) {
    t['0123456789abcdef'.charCodeAt(i)] = i;
    t['0123456789ABCDEF'.charCodeAt(i)] = i;
  }
  return t;
})();

/** 1 for an upper-case hex digit (the only form RFC 2045 §6.7 allows in =XX). */
const UPPER_HEX = (() => {
  const t = new Uint8Array(256);
  for (const c of '0123456789ABCDEF') t[c.charCodeAt(0)] = 1;
  return t;
})();

export interface QuotedPrintableDecoded {
  bytes: Buffer;
  /**
   * Every "=" is an upper-case =XX escape or a soft line break, and no line
   * ends in unencoded SP/TAB: of `checkQuotedPrintable`'s problems only line
   * length can remain. Costs nothing extra in the decoding loop, so the
   * encoded-line-syntax rule need not scan a clean body a second time.
   */
  wellFormed: boolean;
}

/** Decodes quoted-printable tolerantly (bad escapes stay literal). */
export function decodeQuotedPrintable(bytes: Uint8Array): Buffer {
  return decodeQuotedPrintableChecked(bytes).bytes;
}

/** {@link decodeQuotedPrintable}, also telling whether the encoding is well-formed. */
export function decodeQuotedPrintableChecked(input: Uint8Array): QuotedPrintableDecoded {
  const b = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const n = b.length;
  const outBuf = takeFromSlab(n);
  const out = new Uint8Array(outBuf.buffer, outBuf.byteOffset, n);
  let o = 0;
  let wellFormed = true;
  let lineStart = 0;
  for (let i = 0; i < n; i++) {
    const end = copyLiteralRun(b, i, out, o);
    o += end - i;
    i = end;
    if (i === n) break;
    if (b[i] === 0x0a) {
      out[o++] = 0x0a;
      const contentEnd = i > lineStart && b[i - 1] === 0x0d ? i - 1 : i;
      if (wellFormed) wellFormed = !endsInWsp(b, lineStart, contentEnd);
      lineStart = i + 1;
      continue;
    }
    // At "=".
    if (wellFormed) wellFormed = isWellFormedEquals(b, i);
    // Soft line break: '=' followed by optional whitespace and a line end.
    let j = i + 1;
    while (j < n && (b[j] === 0x20 || b[j] === 0x09)) j++;
    if (j < n && (b[j] === 0x0d || b[j] === 0x0a)) {
      i = b[j] === 0x0d && j + 1 < n && b[j + 1] === 0x0a ? j + 1 : j;
      // The skipped line end starts a new line (its whitespace was after "=", already judged).
      if (b[i] === 0x0a) lineStart = i + 1;
      continue;
    }
    if (j >= n) break;
    const hi = i + 1 < n ? HEX_VALUE[b[i + 1]!]! : -1;
    const lo = i + 2 < n ? HEX_VALUE[b[i + 2]!]! : -1;
    if (hi >= 0 && lo >= 0) {
      out[o++] = (hi << 4) | lo;
      i += 2;
    } else out[o++] = 0x3d;
  }
  if (wellFormed) wellFormed = !endsInWsp(b, lineStart, n);
  returnToSlab(outBuf, o);
  return { bytes: outBuf.subarray(0, o), wellFormed };
}

/*
 * Decoded bodies up to 32 KiB are carved out of 64 KiB slabs, as
 * Buffer.allocUnsafe does below 4 KiB: a typical text part then costs no
 * ArrayBuffer of its own (that allocation was ~5% of a self-check). A slab
 * lives as long as any body cut from it, as with Node's pool.
 */
const SLAB_SIZE = 64 * 1024;
let slab: Buffer | undefined;
let slabUsed = 0;

function takeFromSlab(n: number): Buffer {
  if (n > SLAB_SIZE / 2) return Buffer.allocUnsafe(n);
  if (!slab || slabUsed + n > SLAB_SIZE) {
    slab = Buffer.allocUnsafeSlow(SLAB_SIZE);
    slabUsed = 0;
  }
  const out = slab.subarray(slabUsed, slabUsed + n);
  slabUsed += n;
  return out;
}

/** Gives back the unused tail of the last `takeFromSlab` (only `used` octets were written). */
function returnToSlab(taken: Buffer, used: number): void {
  const start = slab ? taken.byteOffset - slab.byteOffset : -1;
  if (slab && taken.buffer === slab.buffer && start + taken.length === slabUsed) {
    // Keep the next body 8-byte aligned.
    slabUsed = Math.min(SLAB_SIZE, start + ((used + 7) & ~7));
  }
}

/**
 * Copies b[i..] to out[o..] up to the next "=" or LF; returns where it
 * stopped. A small function of its own so V8 keeps its variables in
 * registers: about twice as fast as the same loop inline (60 KB newsletter HTML).
 */
function copyLiteralRun(b: Uint8Array, i: number, out: Uint8Array, o: number): number {
  const n = b.length;
  let j = i;
  for (; j < n; j++) {
    const c = b[j]!;
    if (c === 0x3d || c === 0x0a) break;
    out[o++] = c;
  }
  return j;
}

/** The line content [start, end) ends in SP or TAB. */
function endsInWsp(b: Uint8Array, start: number, end: number): boolean {
  return end > start && (b[end - 1] === 0x20 || b[end - 1] === 0x09);
}

/** The "=" at `i` ends its line (soft break) or starts =XX with upper-case hex. */
function isWellFormedEquals(b: Uint8Array, i: number): boolean {
  const n = b.length;
  if (i + 1 === n || b[i + 1] === 0x0a) return true;
  if (i + 2 >= n) return false;
  if (b[i + 1] === 0x0d && b[i + 2] === 0x0a) return true;
  return UPPER_HEX[b[i + 1]!] === 1 && UPPER_HEX[b[i + 2]!] === 1;
}

/** Decodes base64, ignoring line breaks and stray characters (as receivers do). */
function decodeBase64(bytes: Uint8Array): Buffer {
  return Buffer.from(latin1(bytes), 'base64');
}

/** Decodes a transfer-encoded body. Unknown encodings are returned as-is. */
export function decodeTransfer(bytes: Uint8Array, cte: string | undefined): Buffer {
  const enc = (cte ?? '').toLowerCase();
  if (enc === 'base64') return decodeBase64(bytes);
  if (enc === 'quoted-printable') return decodeQuotedPrintable(bytes);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Charset labels that are placeholders or evasion vectors, never real text charsets. */
export const BAD_CHARSETS = new Set([
  'default',
  'unknown',
  'unknown-8bit',
  'x-unknown',
  'x-user-defined',
  'utf-7',
  'unicode-1-1-utf-7',
  'csunicode11utf7',
]);

/** True when `charset` names a real, decodable charset (not a placeholder, not UTF-7). */
export function isKnownCharset(charset: string): boolean {
  return resolveCharset(charset) !== null;
}

export type { DecodedText };

/**
 * Decodes bytes in a charset through the charset layer (charset.ts: WHATWG
 * labels, iconv-lite). `us-ascii` is strict: 8-bit bytes make it invalid
 * (their text is what WHATWG reads, windows-1252).
 *
 * @example decodeCharset(Buffer.from('caf\xc3\xa9', 'latin1'), 'utf-8').text // 'café'
 */
export function decodeCharset(bytes: Uint8Array, charset: string | undefined): DecodedText {
  const label = (charset ?? 'us-ascii').trim().toLowerCase();
  const d = decodeBytes(bytes, label);
  if (label === 'us-ascii' || label === 'ascii') return { ...d, valid: !has8bit(bytes) };
  return d;
}
