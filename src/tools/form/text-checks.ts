/**
 * Character checks for visitor text. Single-line fields (name, subject) go into
 * headers; multi-line fields (message, extra fields) go into the text body.
 * Problems are reported, never stripped (the project's rule: reject, never silently strip).
 */
import { findUnsafeCodePoint, formatCodePoint } from '../../wire/index.js';
import type { ContactFormErrorCode } from './types.js';

/** A found problem: the code and a message naming the field. */
export interface TextProblem {
  code: ContactFormErrorCode;
  message: string;
}

/**
 * Explicit bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069):
 * they reorder what the reader sees (`Support \u202Eenilno\u202C` shows "online"
 * backwards). Implicit marks (LRM/RLM) are left alone: right-to-left names use them.
 */
const BIDI_FORMATTING = /[\u202a-\u202e\u2066-\u2069]/;

/**
 * Checks a value that goes into a header: no line breaks, no controls
 * (HEADER_INJECTION), no bidi formatting characters (INVALID_CHARACTERS).
 */
export function checkSingleLine(value: string, field: string): TextProblem | null {
  const cp = findUnsafeCodePoint(value);
  if (cp !== -1) {
    return {
      code: 'HEADER_INJECTION',
      message: `${field} contains ${formatCodePoint(cp)}; line breaks and control characters are not allowed here`,
    };
  }
  const bidi = BIDI_FORMATTING.exec(value);
  if (bidi) {
    return {
      code: 'INVALID_CHARACTERS',
      message: `${field} contains the bidi control ${formatCodePoint(bidi[0].charCodeAt(0))}, which reorders the displayed text`,
    };
  }
  return null;
}

/**
 * Checks a value that goes into the text body: line breaks and TAB are fine;
 * NUL, other C0 controls (except form feed), DEL, C1 controls and unpaired
 * surrogates are refused (INVALID_CHARACTERS).
 */
export function checkMultiLine(value: string, field: string): TextProblem | null {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    let bad = false;
    if (c < 0x20) bad = c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c;
    else if (c >= 0x7f && c <= 0x9f) bad = c !== 0x85;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const next = value.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
      else bad = true;
    }
    if (bad) {
      return {
        code: 'INVALID_CHARACTERS',
        message: `${field} contains ${formatCodePoint(c)}, which a text message cannot carry`,
      };
    }
  }
  return null;
}
