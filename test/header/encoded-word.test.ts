/**
 * RFC 2047 words: the byte-buffer encoders of src/wire/header/encoded-word.ts
 * against the plain string-building ones they replaced.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseEncoding, encodeWords } from '../../src/wire/header/encoded-word.js';
import { PIECES } from '../support/unicode.js';

const Q_SAFE = /[A-Za-z0-9!*+\-/]/;
const HEX = '0123456789ABCDEF';

function referenceQ(chunk: string): string {
  let out = '=?UTF-8?Q?';
  for (const byte of Buffer.from(chunk, 'utf8')) {
    if (byte === 0x20) out += '_';
    else if (byte < 0x80 && Q_SAFE.test(String.fromCharCode(byte)))
      out += String.fromCharCode(byte);
    else out += `=${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return `${out}?=`;
}

function referenceB(chunk: string): string {
  return `=?UTF-8?B?${Buffer.from(chunk, 'utf8').toString('base64')}?=`;
}

function referenceChoice(text: string): 'Q' | 'B' {
  let q = 0;
  let bytes = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    bytes += n;
    q += n === 1 ? (ch === ' ' || Q_SAFE.test(ch) ? 1 : 3) : 3 * n;
  }
  return q <= Math.ceil(bytes / 3) * 4 ? 'Q' : 'B';
}

/** The UTF-8 bytes a word carries. */
function decodeWord(word: string): Buffer {
  const m = /^=\?UTF-8\?([QB])\?(.*)\?=$/.exec(word)!;
  if (m[1] === 'B') return Buffer.from(m[2]!, 'base64');
  const out: number[] = [];
  const s = m[2]!;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '_') out.push(0x20);
    else if (s[i] === '=') {
      out.push(Number.parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(s.charCodeAt(i));
  }
  return Buffer.from(out);
}

const text = fc.oneof(
  fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((a) => a.join('')),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
);

describe('encoded-words', () => {
  it('choose Q or B as the per-character count says', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(chooseEncoding(t)).toBe(referenceChoice(t));
      }),
      { numRuns: 3000 },
    );
  });

  it('write each word as the string-building encoders did', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 75 }), (t, first) => {
        const words = encodeWords(t, first);
        const mode = chooseEncoding(t);
        for (const w of words) {
          const chunk = decodeWord(w).toString('utf8');
          expect(w).toBe(mode === 'Q' ? referenceQ(chunk) : referenceB(chunk));
          expect(w.length).toBeLessThanOrEqual(75);
        }
        if (Buffer.from(t).toString() === t)
          expect(Buffer.concat(words.map(decodeWord)).toString('utf8')).toBe(t);
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips long clusters; fixed examples', () => {
    const family = '👨‍👩‍👧‍👦'.repeat(3);
    const words = encodeWords(`x${family}`);
    expect(Buffer.concat(words.map(decodeWord)).toString()).toBe(`x${family}`);
    expect(encodeWords('Grüße aus Köln')).toEqual(['=?UTF-8?B?R3LDvMOfZSBhdXMgS8O2bG4=?=']);
    expect(encodeWords('Hallo Jürgen')).toEqual(['=?UTF-8?Q?Hallo_J=C3=BCrgen?=']);
  });
});
