/**
 * Quoted-printable (RFC 2045 §6.7) of text as UTF-8, in one pass over the JS
 * string: line ends (CRLF, bare CR, bare LF) become CRLF hard breaks, soft
 * breaks ("=" CRLF) keep every line at most 76 characters. Trailing
 * whitespace, a line-initial "." and a line-initial "From " are encoded, so
 * relays that strip spaces, do SMTP dot handling or mangle mbox "From " lines
 * cannot change the text.
 *
 * Working from the string saves the copies a byte encoder needs (the
 * CRLF-normalised string and its UTF-8 Buffer), and the same pass collects
 * what the CTE choice needs (body/cte.ts), so a text part is read once. The
 * output is exactly what a byte encoder gives for the UTF-8 of the
 * CRLF-normalised text; test/body/quoted-printable.test.ts holds it to a
 * plain byte-at-a-time reference.
 */
import { FOLD_AT, MAX_ENCODED_BODY_LINE } from '../limits.js';

/**
 * ASCII characters written as themselves: printable ASCII except "=", plus
 * space and TAB. The few that are at risk only by position are fixed where the
 * position is known: whitespace before a line end is re-written as "=20" or
 * "=09" when the line ends, a "." or "From " is checked at each line start.
 */
const LITERAL = new Uint8Array(128);
for (let c = 32; c <= 126; c++) LITERAL[c] = 1;
LITERAL[61] = 0; // "="
LITERAL[9] = 1;
const HEX = Buffer.from('0123456789ABCDEF');
/** Characters before a soft break: with its "=" a line is {@link MAX_ENCODED_BODY_LINE} long. */
const MAX_COL = MAX_ENCODED_BODY_LINE - 1;
/** First byte of a UTF-8 sequence of 2, 3 or 4 bytes, before the code point bits. */
const LEAD = [0, 0, 0xc0, 0xe0, 0xf0];
/** Free space kept at every line start: one output line is at most 78 octets (`FOLD_AT`). */
const LINE_ROOM = 128;

/**
 * The loop reads the text's UTF-16 code units from a typed array filled by one
 * native copy (`Buffer#write` as UTF-16LE): in V8 that is about twice as fast
 * as `charCodeAt` per character, and the copy is a memcpy. The array is reused.
 */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
let unitScratch: Buffer = Buffer.allocUnsafeSlow(64 * 1024);

/** The code units of `text`, valid until the next call. */
function codeUnits(text: string): Uint16Array {
  const bytes = text.length * 2;
  if (unitScratch.length < bytes) {
    const size = Math.max(bytes, unitScratch.length * 2);
    if (size > SCRATCH_MAX) return unitsOf(text, Buffer.allocUnsafeSlow(bytes));
    unitScratch = Buffer.allocUnsafeSlow(size);
  }
  return unitsOf(text, unitScratch);
}

function unitsOf(text: string, buf: Buffer): Uint16Array {
  const bytes = buf.write(text, 0, 'utf16le');
  if (!LITTLE_ENDIAN) buf.subarray(0, bytes).swap16();
  return new Uint16Array(buf.buffer, buf.byteOffset, bytes >> 1);
}

/**
 * Output is written into one reused scratch buffer (grown as needed), then
 * copied out at its exact size: no worst-case allocation per message for the
 * GC to clear. Output over SCRATCH_MAX gets its own buffer.
 */
const SCRATCH_MAX = 1 << 20;
let scratch: Buffer = Buffer.allocUnsafeSlow(64 * 1024);

function grow(out: Buffer, used: number): Buffer {
  const bigger = Buffer.allocUnsafeSlow(Math.max(out.length * 2, used + LINE_ROOM));
  out.copy(bigger, 0, 0, used);
  if (bigger.length <= SCRATCH_MAX) scratch = bigger;
  return bigger;
}

/** What the encoding pass learned about the text itself (for the CTE choice). */
interface TextFacts {
  /** CRLF-normalised text that can go out as 7bit unchanged (RFC 2045 §2.7, RFC 5322 §2.1.1 at 78). */
  safe7bit: boolean;
  /**
   * Estimated quoted-printable size, counting soft breaks every 75 characters
   * of each line. It leaves out the few characters that are encoded only for
   * their position (trailing whitespace, a line-initial "." or "From "), so it
   * can be slightly low; it only decides between QP and base64.
   */
  qpEstimate: number;
  /** Size of the UTF-8 of the CRLF-normalised text. */
  utf8Length: number;
  /**
   * What no text part may carry, found on the way (so callers need no scan
   * of their own): a NUL (RFC 2045 §2.7), an unpaired surrogate (encoded as
   * U+FFFD here).
   */
  nul: boolean;
  unpairedSurrogate: boolean;
}

export interface QuotedPrintableText extends TextFacts {
  /** The encoding. When it is as long as `utf8Length`, it is the text itself. */
  bytes: Buffer;
}

/** True when a line starting at `i` starts with "." or "From ", which are encoded there. */
function riskyLineStart(units: Uint16Array, i: number): boolean {
  const c = units[i];
  return (
    c === 46 ||
    (c === 70 &&
      units[i + 1] === 114 &&
      units[i + 2] === 111 &&
      units[i + 3] === 109 &&
      units[i + 4] === 32)
  );
}

/** Estimated QP size of a line of `lineQp` encoded characters, soft breaks included. */
function qpLineEstimate(lineQp: number): number {
  return lineQp > MAX_ENCODED_BODY_LINE ? lineQp + 3 * Math.floor((lineQp - 1) / MAX_COL) : lineQp;
}

/**
 * Writes a soft line break ("=" CRLF, RFC 2045 §6.7 rule 5) at `o`. Returns
 * the buffer to go on with: `out`, or a bigger copy when fewer than
 * LINE_ROOM octets would be left after the break.
 */
function softBreak(out: Buffer, o: number): Buffer {
  out[o] = 61;
  out[o + 1] = 13;
  out[o + 2] = 10;
  return o + 3 + LINE_ROOM > out.length ? grow(out, o + 3) : out;
}

/** Writes octet `b` as "=XX" at `o`; returns the index after it. */
function escapeByte(out: Buffer, o: number, b: number): number {
  out[o] = 61;
  out[o + 1] = HEX[b >> 4]!;
  out[o + 2] = HEX[b & 15]!;
  return o + 3;
}

/**
 * Encodes text (checked: no unpaired surrogates; one would become U+FFFD as in
 * `Buffer.from`) as UTF-8 quoted-printable with CRLF hard breaks.
 *
 * @example encodeQuotedPrintable('Grüße').bytes.toString() // 'Gr=C3=BC=C3=9Fe'
 */
export function encodeQuotedPrintable(text: string): QuotedPrintableText {
  let out: Buffer = scratch;
  const units = codeUnits(text);
  const n = units.length;
  let o = 0;
  let col = 0; // output column
  let unsafe7bit = false;
  let nul = false;
  let unpairedSurrogate = false;
  let qpEstimate = 0;
  let extraBytes = 0; // UTF-8 bytes beyond one per UTF-16 unit
  // The current hard line: where it starts in text and output, its soft breaks
  // and the characters encoded only for their position (for the estimate).
  let lineStart = 0;
  let lineOut = 0;
  let lineSoft = 0;
  let linePositional = 0;
  if (out.length < LINE_ROOM) out = grow(out, 0);
  let i = 0;
  for (;;) {
    // One hard line: [lineStart, i).
    if (i < n && riskyLineStart(units, i)) {
      // "." or "From " at a line start (col 0: no soft break needed).
      o = escapeByte(out, o, units[i++]!);
      col = 3;
      unsafe7bit = true;
      linePositional++;
    }
    for (; i < n; i++) {
      const c = units[i]!;
      if (c < 128 && LITERAL[c] === 1) {
        // The common case: a run of characters written as themselves.
        if (col >= MAX_COL) {
          out = softBreak(out, o);
          o += 3;
          col = 0;
          lineSoft++;
        }
        const end = literalRun(units, i, Math.min(n, i + MAX_COL - col), out, o);
        o += end - i;
        col += end - i;
        i = end - 1;
        continue;
      }
      if (c === 13 || c === 10) break;
      let cp = c;
      let count = 1;
      if (c < 128) {
        if (c !== 61) {
          unsafe7bit = true; // a control character or DEL ("=" is 7bit)
          if (c === 0) nul = true;
        }
      } else {
        // Non-ASCII: every UTF-8 byte is "=XX" (a soft break may fall between them).
        unsafe7bit = true;
        if (c >= 0xd800 && c <= 0xdfff) {
          const next = i + 1 < n ? units[i + 1]! : 0;
          if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
            cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
            i++;
          } else {
            cp = 0xfffd;
            unpairedSurrogate = true;
          }
        }
        count = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        extraBytes += cp < 0x10000 ? count - 1 : 2; // a pair is two units for four bytes
      }
      let shift = 6 * (count - 1);
      let b = count === 1 ? c : LEAD[count]! | (cp >> shift);
      for (;;) {
        if (col + 3 > MAX_COL) {
          out = softBreak(out, o);
          o += 3;
          col = 0;
          lineSoft++;
        }
        o = escapeByte(out, o, b);
        col += 3;
        if (shift === 0) break;
        shift -= 6;
        b = 0x80 | ((cp >> shift) & 63);
      }
    }
    // The line ends (or the body does). Whitespace before it would be lost in transit.
    const last = o > lineOut ? out[o - 1]! : 0;
    if (last === 32 || last === 9) {
      o--;
      if (--col + 3 > MAX_COL) {
        out = softBreak(out, o);
        o += 3;
        col = 0;
        lineSoft++;
      }
      o = escapeByte(out, o, last);
      unsafe7bit = true;
      linePositional++;
    }
    if (i - lineStart > FOLD_AT) unsafe7bit = true;
    qpEstimate += qpLineEstimate(o - lineOut - 3 * lineSoft - 2 * linePositional);
    if (i >= n) break;
    qpEstimate += 2;
    if (units[i] === 13 && units[i + 1] === 10) i++;
    else extraBytes++; // a bare CR or LF becomes two octets
    i++;
    out[o++] = 13;
    out[o++] = 10;
    col = 0;
    lineStart = i;
    lineOut = o;
    lineSoft = 0;
    linePositional = 0;
    if (o + LINE_ROOM > out.length) out = grow(out, o);
  }
  const bytes = out === scratch ? Buffer.from(out.subarray(0, o)) : out.subarray(0, o);
  return {
    bytes,
    safe7bit: !unsafe7bit,
    qpEstimate,
    utf8Length: n + extraBytes,
    nul,
    unpairedSurrogate,
  };
}

/**
 * Copies literal characters from units[i..limit) to out[o..]; returns where it
 * stopped. A small function of its own: V8 keeps its few variables in
 * registers, which the big loop above cannot (~1.2–1.5× on whole texts).
 */
function literalRun(units: Uint16Array, i: number, limit: number, out: Buffer, o: number): number {
  let j = i;
  for (; j < limit; j++) {
    const c = units[j]!;
    if (c >= 128 || LITERAL[c] !== 1) break;
    out[o++] = c;
  }
  return j;
}
