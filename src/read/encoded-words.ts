/**
 * RFC 2047 encoded-words as found in raw header text: located loosely (so
 * broken words are found too), validated strictly, decoded on request.
 */
import { MAX_ENCODED_WORD } from '../wire/index.js';
import { decodeCharset, isValidUtf8 } from './decode.js';

export type WordProblem =
  | 'bad-charset-token'
  | 'bad-encoding'
  | 'whitespace-inside'
  | 'bad-q-text'
  | 'bad-base64'
  | 'too-long'
  | 'split-character';

export interface EncodedWord {
  /** Index in the searched string. */
  start: number;
  end: number;
  charset: string;
  encoding: string;
  text: string;
  problems: WordProblem[];
  /** Decoded octets (tolerant). */
  bytes: Buffer;
  /** Decoded text in the word's charset. */
  decoded: string;
}

// Loose on purpose: whitespace inside the text is reported, not skipped.
const LOOSE = /=\?([^?\s]*)\?([^?\s]*)\?([^?]*)\?=/g;
const CHARSET = /^[A-Za-z0-9!#$%&'+\-^_`{}~]+(\*[A-Za-z0-9-]+)?$/;
const B64 = /^[A-Za-z0-9+/]*={0,2}$/;
// Printable except '?', '=' only as escape, no space. The class leaves out '='
// (it was in `!->`): `=41` read two ways made `=41=41…=41 ` exponential (issue 14).
const QTEXT = /^(?:[!-<>@-~]|=[0-9A-Fa-f]{2})*$/;

/**
 * Every encoded-word in `s`, each with its problems and decoded text.
 *
 * @example findEncodedWords('=?UTF-8?Q?K=C3=B6ln?=')[0]!.decoded // 'Köln'
 */
export function findEncodedWords(s: string): EncodedWord[] {
  if (!s.includes('=?')) return [];
  const out: EncodedWord[] = [];
  for (const m of s.matchAll(LOOSE)) {
    const [whole, charset = '', encoding = '', text = ''] = m;
    const problems: WordProblem[] = [];
    if (!CHARSET.test(charset)) problems.push('bad-charset-token');
    const enc = encoding.toUpperCase();
    if (enc !== 'B' && enc !== 'Q') problems.push('bad-encoding');
    if (/\s/.test(text)) problems.push('whitespace-inside');
    if (whole.length > MAX_ENCODED_WORD) problems.push('too-long');
    let bytes: Buffer;
    if (enc === 'B') {
      if (!B64.test(text) || text.length % 4 !== 0) problems.push('bad-base64');
      bytes = Buffer.from(text, 'base64');
    } else {
      if (enc === 'Q' && !QTEXT.test(text)) problems.push('bad-q-text');
      bytes = decodeQ(text);
    }
    const cs = charset.split('*', 1)[0]!.toLowerCase();
    if ((cs === 'utf-8' || cs === 'utf8') && !isValidUtf8(bytes)) problems.push('split-character');
    const decoded = decodeCharset(bytes, cs || 'us-ascii').text;
    out.push({
      start: m.index,
      end: m.index + whole.length,
      charset,
      encoding,
      text,
      problems,
      bytes,
      decoded,
    });
  }
  return out;
}

function decodeQ(text: string): Buffer {
  const out = Buffer.allocUnsafe(text.length);
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5f) out[o++] = 0x20;
    else if (
      c === 0x3d &&
      i + 2 < text.length &&
      isHex(text.charCodeAt(i + 1)) &&
      isHex(text.charCodeAt(i + 2))
    ) {
      out[o++] = Number.parseInt(text.slice(i + 1, i + 3), 16);
      i += 2;
    } else out[o++] = c & 0xff;
  }
  return out.subarray(0, o);
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/**
 * Header text with encoded-words decoded; whitespace between adjacent words
 * is dropped (RFC 2047 §6.2).
 */
export function decodeWords(s: string, words = findEncodedWords(s)): string {
  if (words.length === 0) return s;
  let out = '';
  let pos = 0;
  let prevEnd = -1;
  for (const w of words) {
    const between = s.slice(pos, w.start);
    if (!(prevEnd === pos && /^\s*$/.test(between))) out += between;
    out += w.decoded;
    pos = w.end;
    prevEnd = w.end;
  }
  return out + s.slice(pos);
}
