/**
 * Word sets for comparing the text and HTML alternatives of a message
 * (alternative-parts-differ).
 */

const MAX_WORDS = 5000;

/**
 * The first 5000 words (runs of 3+ letters or digits) of the lower-cased
 * text, as a set: what `s.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu)` finds,
 * without that regex (its property classes cost ~20 ns per character on V8 11).
 * A word seen before is recognised in place by its hash ({@link WordTable}),
 * so a repeated word costs no string: text repeats most of its words.
 */
export function wordSet(s: string): Set<string> {
  const lower = s.toLowerCase();
  const n = lower.length;
  const table = new WordTable(lower);
  let found = 0;
  let start = 0;
  let codePoints = 0;
  let hash = 0;
  // i === n is a virtual non-letter that ends the last word.
  for (let i = 0; i <= n; ) {
    const c = i < n ? lower.charCodeAt(i) : 0x20;
    const width = c < 256 ? latin1LetterOrDigit[c]! : letterWidth(lower, i, n);
    if (width !== 0) {
      if (codePoints++ === 0) {
        start = i;
        hash = 0;
      }
      hash = (Math.imul(hash, 31) + c) | 0;
      i += width;
      continue;
    }
    if (codePoints >= 3) {
      table.add(start, i, hash);
      if (++found === MAX_WORDS) break;
    }
    codePoints = 0;
    i++; // one code unit: a lone surrogate is no letter, as in the /u regex
  }
  return table.words;
}

/** Code units (1 or 2) of the letter or digit at s[i], 0 when it is neither. */
function letterWidth(s: string, i: number, n: number): number {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
    const lo = s.charCodeAt(i + 1);
    if (lo >= 0xdc00 && lo <= 0xdfff) {
      return isLetterOrDigit((c - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000) ? 2 : 0;
    }
  }
  return isLetterOrDigit(c) ? 1 : 0;
}

/**
 * The distinct words of one text, in first-seen order: an open-addressing
 * table of word hashes over `text`; a word is sliced out only the first time.
 */
class WordTable {
  readonly words = new Set<string>();
  private readonly list: string[] = [];
  private readonly hashes: number[] = [];
  private slots = new Int32Array(256);

  constructor(private readonly text: string) {}

  /** Adds text[start, end) whose hash is `hash`, unless present. */
  add(start: number, end: number, hash: number): void {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const e = this.slots[slot]!;
      if (e === 0) {
        const word = this.text.slice(start, end);
        this.words.add(word);
        this.list.push(word);
        this.hashes.push(hash);
        this.slots[slot] = this.list.length;
        if (this.list.length * 2 > mask) this.grow();
        return;
      }
      const w = this.list[e - 1]!;
      if (this.hashes[e - 1] === hash && w.length === end - start && this.text.startsWith(w, start))
        return;
    }
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let k = 0; k < this.hashes.length; k++) {
      let slot = this.hashes[k]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = k + 1;
    }
    this.slots = slots;
  }
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
