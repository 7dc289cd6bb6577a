/**
 * What rules ask of a quoted-printable text body, answered in one pass over
 * the encoded octets without writing the decoded body anywhere: =XX escapes
 * are decoded on the fly, soft line breaks skipped, and each decoded octet goes
 * through a small UTF-8 state machine. charset-mismatch and encoded-line-syntax
 * need only these verdicts, so a self-check no longer decodes a large HTML
 * part (QP decoding was most of a newsletter self-check).
 */
import { endsInWsp, HEX_VALUE, isWellFormedEquals } from './decode.js';

export interface QuotedPrintableScan {
  /** As {@link QuotedPrintableDecoded.wellFormed}. */
  wellFormed: boolean;
  /** The decoded body has no octet ≥ 0x80 (`isAscii` of the decoding). */
  ascii: boolean;
  /** The decoded body is strict UTF-8 (`isUtf8` of the decoding). */
  utf8: boolean;
}

/** 1 for the octets a literal run stops at: "=", LF and everything ≥ 0x80. */
const STOP = (() => {
  const t = new Uint8Array(256);
  t.fill(1, 0x80);
  t[0x3d] = t[0x0a] = 1;
  return t;
})();

/**
 * Skips plain ASCII literal octets from `i`; returns the first octet that is
 * "=", LF or ≥ 0x80 (or the end). A small function of its own so V8
 * keeps its loop tight, as with the decoder's copyLiteralRun.
 */
function skipPlain(b: Uint8Array, i: number): number {
  const n = b.length;
  let j = i;
  while (j < n && STOP[b[j]!] === 0) j++;
  return j;
}

/**
 * Scans a quoted-printable body: the same verdicts as decoding it with
 * `decodeQuotedPrintableChecked` and then asking `isAscii` and `isUtf8` of
 * the result. The "=" and line-end steps mirror that
 * decoder; each decoded octet then goes through strict UTF-8 validation
 * (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF, no
 * truncated sequence), where `need` continuation octets are still expected,
 * the next one within [lo, hi].
 */
export function scanQuotedPrintable(input: Uint8Array): QuotedPrintableScan {
  const b = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const n = b.length;
  let need = 0;
  let lo = 0x80;
  let hi = 0xbf;
  let utf8 = true;
  let high = false;
  let wellFormed = true;
  let lineStart = 0;
  for (let i = 0; i < n; i++) {
    // Plain ASCII outside a sequence changes no verdict (inside one it is an error, fed below).
    if (need === 0) {
      i = skipPlain(b, i);
      if (i === n) break;
    }
    let v = b[i]!;
    if (v === 0x0a) {
      const contentEnd = i > lineStart && b[i - 1] === 0x0d ? i - 1 : i;
      if (wellFormed) wellFormed = !endsInWsp(b, lineStart, contentEnd);
      lineStart = i + 1;
    } else if (v === 0x3d) {
      if (wellFormed) wellFormed = isWellFormedEquals(b, i);
      // Soft line break: '=' followed by optional whitespace and a line end.
      let j = i + 1;
      while (j < n && (b[j] === 0x20 || b[j] === 0x09)) j++;
      if (j < n && (b[j] === 0x0d || b[j] === 0x0a)) {
        i = b[j] === 0x0d && j + 1 < n && b[j + 1] === 0x0a ? j + 1 : j;
        if (b[i] === 0x0a) lineStart = i + 1;
        continue;
      }
      if (j >= n) break;
      const h = i + 1 < n ? HEX_VALUE[b[i + 1]!]! : -1;
      const l = i + 2 < n ? HEX_VALUE[b[i + 2]!]! : -1;
      if (h >= 0 && l >= 0) {
        v = (h << 4) | l;
        i += 2;
      }
    }
    // `v` is the next decoded octet.
    if (need > 0) {
      // After an error nothing is reinterpreted: once invalid, always invalid.
      if (v < lo || v > hi) utf8 = false;
      lo = 0x80;
      hi = 0xbf;
      need--;
      continue;
    }
    if (v < 0x80) continue;
    high = true;
    // E0 must not be overlong (< U+0800), ED must not be a surrogate (U+D800..U+DFFF),
    // F0 must not be overlong (< U+10000), F4 must not exceed U+10FFFF.
    if (v >= 0xc2 && v <= 0xdf) need = 1;
    else if (v >= 0xe0 && v <= 0xef) {
      need = 2;
      if (v === 0xe0) lo = 0xa0;
      else if (v === 0xed) hi = 0x9f;
    } else if (v >= 0xf0 && v <= 0xf4) {
      need = 3;
      if (v === 0xf0) lo = 0x90;
      else if (v === 0xf4) hi = 0x8f;
    } else {
      // 0x80..0xC1 (stray continuation, overlong 2-octet lead), 0xF5..0xFF.
      utf8 = false;
    }
  }
  if (wellFormed) wellFormed = !endsInWsp(b, lineStart, n);
  return { wellFormed, ascii: !high, utf8: utf8 && need === 0 };
}
