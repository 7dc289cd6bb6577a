/**
 * RFC 2047 encoded-words. Every word is at most 75 characters (or less where
 * the first word has to fit the rest of a header line), holds whole characters
 * (never half a surrogate pair, never a ZWJ sequence or combining mark cut off
 * its base unless one cluster is longer than a word), and uses only characters
 * allowed in a `phrase` (RFC 2047 §5 (3)), so the same words serve Subject and
 * display names.
 */
import { MAX_ENCODED_WORD } from '../limits.js';

/** Bytes that stand for themselves in a Q word in any context. */
const Q_SAFE = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/') {
  Q_SAFE[c.charCodeAt(0)] = 1;
}
const HEX = '0123456789ABCDEF';
const PREFIX_Q = '=?UTF-8?Q?';
const PREFIX_B = '=?UTF-8?B?';
/** `=?UTF-8?Q?` + `?=` */
const OVERHEAD = 12;
/** The shortest word that holds any one code point (4 UTF-8 octets as Q: 12 characters). */
export const MIN_ENCODED_WORD = OVERHEAD + 12;

/** Code points that must not start a new word: they belong to the character before. */
function joinsPrevious(cp: number, prev: number): boolean {
  return (
    prev === 0x200d || // after a zero-width joiner
    cp === 0x200d ||
    cp === 0xfeff || // a word starting with it loses it: decoders take it for a byte order mark
    (cp >= 0x0300 && cp <= 0x036f) || // combining diacritical marks
    (cp >= 0x1ab0 && cp <= 0x1aff) ||
    (cp >= 0x1dc0 && cp <= 0x1dff) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) || // variation selectors
    (cp >= 0xfe20 && cp <= 0xfe2f) ||
    (cp >= 0x1f3fb && cp <= 0x1f3ff) || // emoji skin tones
    (cp >= 0xe0020 && cp <= 0xe007f) || // emoji tag sequences
    (cp >= 0xe0100 && cp <= 0xe01ef) ||
    (prev >= 0x1f1e6 && prev <= 0x1f1ff && cp >= 0x1f1e6 && cp <= 0x1f1ff) // flag pairs (approximate)
  );
}

function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

function qLength(cp: number): number {
  if (cp < 0x80) return cp === 0x20 || Q_SAFE[cp] ? 1 : 3;
  return 3 * utf8Length(cp);
}

/** Whether Q or B gives the shorter encoding of the whole text. */
export function chooseEncoding(text: string): 'Q' | 'B' {
  let q = 0;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const cp = codePointAt(text, i);
    if (cp > 0xffff) i++;
    q += qLength(cp);
    bytes += utf8Length(cp);
  }
  return q <= Math.ceil(bytes / 3) * 4 ? 'Q' : 'B';
}

/** The code point at `i` (a lone surrogate as itself, as `codePointAt` gives it). */
function codePointAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
  }
  return c;
}

/**
 * Words are assembled as bytes in one reused buffer and become a string once:
 * no string per byte or per character for the GC. Q words read the UTF-8 from
 * the upper half and write the word from the start (at most 3 × 3 octets per
 * UTF-16 unit, so the writing never overtakes the reading).
 */
let wordBytes = Buffer.allocUnsafeSlow(2048);

/** Makes room for a chunk of `units` UTF-16 units; returns the buffer's middle. */
function middleFor(units: number): number {
  const need = 2 * (9 * units + 16);
  if (wordBytes.length < need) wordBytes = Buffer.allocUnsafeSlow(need);
  return wordBytes.length >> 1;
}

function encodeQ(chunk: string): string {
  const from = middleFor(chunk.length);
  const w = wordBytes;
  const end = from + w.write(chunk, from, 'utf8'); // a lone surrogate becomes U+FFFD
  let o = w.write(PREFIX_Q, 0, 'latin1');
  for (let i = from; i < end; i++) {
    const byte = w[i]!;
    if (byte === 0x20)
      w[o++] = 0x5f; // "_"
    else if (byte < 0x80 && Q_SAFE[byte]) w[o++] = byte;
    else {
      w[o++] = 0x3d; // "="
      w[o++] = HEX.charCodeAt(byte >> 4);
      w[o++] = HEX.charCodeAt(byte & 15);
    }
  }
  w[o++] = 0x3f; // "?"
  w[o++] = 0x3d; // "="
  return w.toString('latin1', 0, o);
}

function encodeB(chunk: string): string {
  middleFor(chunk.length);
  const end = wordBytes.write(chunk, 0, 'utf8');
  return `${PREFIX_B}${wordBytes.toString('base64', 0, end)}?=`;
}

/**
 * Splits `text` into encoded-words. `firstMax` bounds the first word (to fit
 * the rest of the current line), `restMax` every other word (≤ 75).
 *
 * @example
 * ```ts
 * encodeWords('Hallo Jürgen') // ['=?UTF-8?Q?Hallo_J=C3=BCrgen?=']
 * ```
 */
export function encodeWords(
  text: string,
  firstMax = MAX_ENCODED_WORD,
  restMax = MAX_ENCODED_WORD,
): string[] {
  const mode = chooseEncoding(text);
  const words: string[] = [];
  let max = Math.max(firstMax, MIN_ENCODED_WORD);
  // Size of the current chunk in encoded characters (Q) or raw bytes (B).
  let size = 0;
  let start = 0;
  let lastBreak = 0;
  let prev = -1;
  const fits = (s: number) => (mode === 'Q' ? s : Math.ceil(s / 3) * 4) <= max - OVERHEAD;
  const emit = (end: number) => {
    const chunk = text.slice(start, end);
    words.push(mode === 'Q' ? encodeQ(chunk) : encodeB(chunk));
    start = end;
    lastBreak = end;
    max = restMax;
  };
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    const len = cp > 0xffff ? 2 : 1;
    const add = mode === 'Q' ? qLength(cp) : utf8Length(cp);
    const canBreakHere = prev === -1 || !joinsPrevious(cp, prev);
    if (canBreakHere) lastBreak = i;
    if (!fits(size + add) && i > start) {
      // Prefer the last cluster boundary; cut inside a cluster only if it alone overflows.
      const cut = lastBreak > start ? lastBreak : i;
      emit(cut);
      size = 0;
      for (let j = cut; j < i; ) {
        const c = text.codePointAt(j)!;
        size += mode === 'Q' ? qLength(c) : utf8Length(c);
        j += c > 0xffff ? 2 : 1;
      }
      lastBreak = start;
    }
    size += add;
    prev = cp;
    i += len;
  }
  if (i > start || words.length === 0) emit(i);
  return words;
}

/** True when text would be mistaken for an encoded-word by a decoder. */
export function looksLikeEncodedWord(text: string): boolean {
  return text.includes('=?');
}
