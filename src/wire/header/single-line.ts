/**
 * The one gate every single-line value passes: subject, names, addresses,
 * header names and values, filenames, envelope. Line breaks and controls are
 * refused with a typed error, never stripped (the project's rule: reject, never silently strip).
 */
import { type ErrorCode, formatCodePoint, MailHygieneError } from '../errors.js';

/**
 * The code point that makes `value` unsafe on one header line, or -1.
 * Unsafe: C0 controls except TAB, DEL, C1 controls (incl. U+0085 NEL),
 * U+2028, U+2029, and lone surrogates (they cannot be encoded as UTF-8).
 */
export function findUnsafeCodePoint(value: string): number {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20) {
      if (c !== 0x09) return c;
    } else if (c >= 0x7f && c <= 0x9f) {
      return c;
    } else if (c === 0x2028 || c === 0x2029) {
      return c;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      // A high surrogate must be followed by a low one; a low one never stands alone.
      const next = value.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
      else return c;
    }
  }
  return -1;
}

/** Throws `code` (default HEADER_INJECTION) when `value` is not a safe single line. */
export function assertSingleLine(
  value: string,
  field: string,
  code: ErrorCode = 'HEADER_INJECTION',
): void {
  const cp = findUnsafeCodePoint(value);
  if (cp !== -1) {
    const what =
      cp === 0x0a || cp === 0x0d || cp === 0x85 || cp === 0x2028 || cp === 0x2029
        ? 'a line break'
        : cp >= 0xd800 && cp <= 0xdfff
          ? 'an unpaired surrogate'
          : 'a control character';
    throw new MailHygieneError(
      code,
      `${field} contains ${what} (${formatCodePoint(cp)}); single-line fields must not`,
      { field, codePoint: cp },
    );
  }
}
