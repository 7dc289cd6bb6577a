/**
 * Word sets for comparing the text and HTML alternatives of a message
 * (alternative-parts-differ).
 */

const MAX_WORDS = 5000;

/**
 * The first 5000 words (runs of 3+ letters or digits) of the lower-cased
 * text, as a set: what `s.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu)` finds,
 * without that regex (its property classes cost ~20 ns per character on V8 11).
 */
export function wordSet(s: string): Set<string> {
  const lower = s.toLowerCase();
  const n = lower.length;
  const out = new Set<string>();
  let found = 0;
  let start = -1;
  let codePoints = 0;
  for (let i = 0; i <= n; ) {
    // One code point per step (a surrogate pair counts once, as in a /u regex).
    let cp = i < n ? lower.charCodeAt(i) : -1;
    let width = 1;
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
      const lo = lower.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = (cp - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000;
        width = 2;
      }
    }
    if (cp !== -1 && (cp < 256 ? latin1LetterOrDigit[cp] === 1 : isLetterOrDigit(cp))) {
      if (start === -1) {
        start = i;
        codePoints = 0;
      }
      codePoints++;
    } else {
      if (start !== -1 && codePoints >= 3) {
        out.add(lower.slice(start, i));
        if (++found === MAX_WORDS) break;
      }
      start = -1;
    }
    i += width;
  }
  return out;
}

const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
/** Verdicts of LETTER_OR_DIGIT: a table for Latin-1, a cache for the rest. */
const latin1LetterOrDigit = Uint8Array.from({ length: 256 }, (_, c) =>
  LETTER_OR_DIGIT.test(String.fromCharCode(c)) ? 1 : 0,
);
const letterOrDigitCache = new Map<number, boolean>();
function isLetterOrDigit(cp: number): boolean {
  let v = letterOrDigitCache.get(cp);
  if (v === undefined) {
    v = LETTER_OR_DIGIT.test(String.fromCodePoint(cp));
    // Bounded: a hostile text cannot grow the cache past one entry per code point.
    if (letterOrDigitCache.size < 65536) letterOrDigitCache.set(cp, v);
  }
  return v;
}
