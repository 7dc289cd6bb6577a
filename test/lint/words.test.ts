// wordSet() must find exactly what the regex it replaces found.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wordSet } from '../../src/lint/words.js';
import { PIECES } from '../support/unicode.js';

const byRegex = (s: string) =>
  new Set((s.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []).slice(0, 5000));

describe('wordSet', () => {
  it('lower-cases and keeps runs of three or more letters or digits', () => {
    expect([...wordSet('Grüße an Max, 2026! ab 𝐀𝐁𝐂 İstanbul')]).toEqual([
      'grüße',
      'max',
      '2026',
      '𝐀𝐁𝐂', // astral letters count as one each; these have no lower case
      'stanbul', // 'İ' lower-cases to 'i' + U+0307, a mark that ends the word
    ]);
  });

  it('stops after 5000 words, duplicates counted', () => {
    const s = `${'aaa '.repeat(4999)}bbb ccc`;
    expect([...wordSet(s)]).toEqual(['aaa', 'bbb']);
  });

  it('equals the regex on hostile Unicode', () => {
    const extra = fc.constantFrom(
      'İ',
      'Ⅻ',
      '²',
      'ª',
      '\ud800',
      '\udc00',
      '𝐀',
      'ǅ',
      'ﬀ',
      '٣',
      'x',
      'ab',
    );
    const text = fc
      .array(fc.oneof(fc.constantFrom(...PIECES), extra, fc.string({ unit: 'binary' })), {
        maxLength: 30,
      })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(text, (s) => {
        expect([...wordSet(s)]).toEqual([...byRegex(s)]);
      }),
      { numRuns: 5000 },
    );
  });
});
