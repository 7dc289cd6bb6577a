/**
 * Quoted-printable (RFC 2045 §6.7) over Buffers with a lookup table. Input has
 * CRLF line ends (hard breaks); output lines are at most 76 characters.
 * Trailing whitespace and a line-initial "From " are encoded, so relays that
 * strip spaces or mangle mbox "From " lines cannot change the text.
 */

/** 1 for bytes written as themselves (printable ASCII except "=", plus TAB and space). */
const LITERAL = new Uint8Array(256);
for (let b = 33; b <= 126; b++) LITERAL[b] = 1;
LITERAL[61] = 0; // "="
LITERAL[32] = 1;
LITERAL[9] = 1;
const HEX = Buffer.from('0123456789ABCDEF');
const MAX_COL = 75; // + "=" soft break = 76

/** Encoded length, exactly as {@link encodeQuotedPrintable} will produce it. */
export function quotedPrintableLength(input: Uint8Array): number {
  return encodeQuotedPrintable(input).length;
}

/**
 * Byte classes: 1 = always literal (printable ASCII except "=", "." and "F"),
 * 2 = literal unless at a line start or end (space, TAB, ".", "F"), 0 = =XX.
 */
const CLASS = new Uint8Array(256);
for (let b = 0; b < 256; b++) CLASS[b] = LITERAL[b] === 1 ? 1 : 0;
CLASS[32] = 2;
CLASS[9] = 2;
CLASS[46] = 2;
CLASS[70] = 2;

/**
 * Output is written into one reused scratch buffer, then copied out at its
 * exact size: no worst-case (3×) allocation per message for the GC to clear.
 * Bodies over SCRATCH_MAX get their own buffer (and keep it).
 */
const SCRATCH_MAX = 1 << 20;
let scratch = Buffer.allocUnsafeSlow(64 * 1024);

/**
 * Encodes bytes with CRLF line ends as quoted-printable: hard breaks kept,
 * soft breaks ("=" CRLF) so no line exceeds 76 characters.
 *
 * @example encodeQuotedPrintable(Buffer.from('Grüße')).toString() // 'Gr=C3=BC=C3=9Fe'
 */
export function encodeQuotedPrintable(input: Uint8Array): Buffer {
  const n = input.length;
  const max = n * 3 + Math.ceil((n * 3) / MAX_COL) * 3 + 8;
  let out: Buffer;
  if (max > SCRATCH_MAX) out = Buffer.allocUnsafe(max);
  else {
    if (scratch.length < max) scratch = Buffer.allocUnsafeSlow(Math.max(max, scratch.length * 2));
    out = scratch;
  }
  let o = 0;
  let col = 0;
  for (let i = 0; i < n; i++) {
    const b = input[i]!;
    const cls = CLASS[b]!;
    if (cls === 1) {
      // The common case: a byte written as itself.
      if (col >= MAX_COL) {
        out[o++] = 61;
        out[o++] = 13;
        out[o++] = 10;
        col = 0;
      }
      out[o++] = b;
      col++;
      continue;
    }
    if (b === 13 && input[i + 1] === 10) {
      out[o++] = 13;
      out[o++] = 10;
      col = 0;
      i++;
      continue;
    }
    let literal = cls === 2;
    if (b === 32 || b === 9) {
      // Whitespace at the end of a line or of the body would be lost in transit.
      const next = input[i + 1];
      if (next === undefined || (next === 13 && input[i + 2] === 10)) literal = false;
    } else if (
      b === 70 &&
      col === 0 &&
      input[i + 1] === 114 &&
      input[i + 2] === 111 &&
      input[i + 3] === 109 &&
      input[i + 4] === 32
    ) {
      literal = false; // "From " at line start
    } else if (b === 46 && col === 0) {
      literal = false; // "." at line start: safe from SMTP dot handling and smuggling tricks
    }
    const len = literal ? 1 : 3;
    if (col + len > MAX_COL) {
      out[o++] = 61;
      out[o++] = 13;
      out[o++] = 10;
      col = 0;
    }
    if (literal) {
      out[o++] = b;
    } else {
      out[o++] = 61;
      out[o++] = HEX[b >> 4]!;
      out[o++] = HEX[b & 15]!;
    }
    col += len;
  }
  return out === scratch ? Buffer.from(out.subarray(0, o)) : out.subarray(0, o);
}
