/**
 * Unstructured field bodies (Subject, custom headers): raw when they are plain
 * printable ASCII that folds cleanly, otherwise RFC 2047 encoded-words for the
 * whole value, so the text parses back exactly.
 */

import { FOLD_AT, MAX_ENCODED_LINE } from '../limits.js';
import { encodeWords, looksLikeEncodedWord, MIN_ENCODED_WORD } from './encoded-word.js';
import { HeaderBuilder } from './fold.js';

/**
 * A raw token longer than this cannot be folded to {@link FOLD_AT}: such
 * values are encoded. A continuation line holds a space and the token (77);
 * 12 more are kept free so that a first token also fits beside a field name
 * of up to 11 characters (`Subject:`, `Keywords:`).
 */
const MAX_RAW_TOKEN = FOLD_AT - 1 - 12;

/** Whether an unstructured value must go out as encoded-words. */
function needsEncoding(value: string): boolean {
  if (value.length === 0) return false;
  if (/[^\x20-\x7e]/.test(value)) return true;
  if (looksLikeEncodedWord(value)) return true;
  // Leading/trailing whitespace is eaten by unfolding parsers; keep it inside a word.
  if (value[0] === ' ' || value[value.length - 1] === ' ') return true;
  let run = 0;
  for (let i = 0; i < value.length; i++) {
    run = value.charCodeAt(i) === 0x20 ? 0 : run + 1;
    if (run > MAX_RAW_TOKEN) return true;
  }
  return false;
}

/**
 * Renders `Name: value` (CRLF-terminated, folded). `value` must already have
 * passed the single-line check.
 *
 * @example
 * ```ts
 * renderUnstructured('Subject', 'Grüße') // 'Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n'
 * ```
 */
export function renderUnstructured(name: string, value: string): string {
  if (needsEncoding(value)) {
    // RFC 2047 §2: a line holding an encoded-word is at most 76 characters.
    const b = new HeaderBuilder(name, MAX_ENCODED_LINE);
    // After a long field name the first word may start on a continuation line (fold.ts).
    for (const word of encodeWords(value, b.room(MIN_ENCODED_WORD))) b.add(' ', word);
    return b.toString();
  }
  const b = new HeaderBuilder(name);
  if (value.length === 0) return b.toString();
  const tokens = value.match(/ +|[^ ]+/g)!;
  let sep = ' ';
  for (const t of tokens) {
    if (t[0] === ' ') sep = t;
    else {
      b.add(sep, t);
      sep = ' ';
    }
  }
  return b.toString();
}
