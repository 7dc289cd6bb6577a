/** fast-check arbitraries of hostile Unicode for property tests of every field. */
import fc from 'fast-check';

/** Pieces chosen to break encoders: astral, ZWJ, CJK, RTL, combining, controls, specials. */
export const PIECES = [
  'a',
  'Z',
  '0',
  ' ',
  '  ',
  '\t',
  '.',
  ',',
  ';',
  ':',
  '"',
  "'",
  '\\',
  '(',
  ')',
  '<',
  '>',
  '@',
  '[',
  ']',
  '=',
  '?',
  '_',
  '%',
  '-',
  '=?',
  '?=',
  '=?utf-8?q?x?=',
  '=?UTF-8?B?QQ==?=',
  'ä',
  'ß',
  'é',
  'Ω',
  '€',
  '–',
  '—',
  '…',
  '中',
  '文',
  '漢字',
  'かな',
  '한국',
  'مرحبا',
  'שלום',
  '\u200f',
  '\u202e',
  'e\u0301',
  'a\u0308\u0308',
  '\u0300',
  '😀',
  '👍🏽',
  '👨‍👩‍👧‍👦',
  '🏳️‍🌈',
  '🇩🇪',
  '𝕏',
  '𠜎',
  '\u200b',
  '\u200d',
  '\ufeff',
  '\u00ad',
  '\r',
  '\n',
  '\r\n',
  '\0',
  '\x01',
  '\x0b',
  '\x0c',
  '\x1b',
  '\x7f',
  '\u0085',
  '\u2028',
  '\u2029',
  '\ud800',
];

/** Any string from the pieces, up to `max` pieces. */
export const hostileString = (max = 30) =>
  fc.array(fc.constantFrom(...PIECES), { maxLength: max }).map((a) => a.join(''));

/** Long strings too (folding and encoded-word splitting). */
export const hostileText = fc.oneof(hostileString(30), hostileString(200));

/** Pieces without line breaks and controls: input that must be accepted. */
export const SAFE_PIECES = PIECES.filter(
  (p) => !/[\0-\x08\x0a-\x1f\x7f\u0085\u2028\u2029\ud800]/.test(p),
);
export const safeString = (max = 30) =>
  fc.array(fc.constantFrom(...SAFE_PIECES), { maxLength: max }).map((a) => a.join(''));
