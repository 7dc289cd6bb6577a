/** Turns text input into the checked text of a text part (and its UTF-8 bytes, CRLF line ends). */
import { MailHygieneError } from '../errors.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Checks text input and returns it as a string with its line ends as given
 * (the encoders in cte.ts make every line end CRLF while they encode, so the
 * hot path builds no normalised copy). Refuses what cannot be carried: NUL
 * (RFC 2045 §2.7), unpaired surrogates, invalid UTF-8.
 */
export function checkedText(input: unknown, field: string): string {
  const text = decodedText(input, field);
  if (text.includes('\0')) throw uncarriableText('nul', field);
  if (!isWellFormed(text)) throw uncarriableText('unpaired-surrogate', field);
  return text;
}

/**
 * Text input as a string: a string, or UTF-8 bytes decoded. The caller still
 * has to refuse NUL and unpaired surrogates ({@link uncarriableText}): the
 * text part encoder reports both from its own pass.
 */
export function decodedText(input: unknown, field: string): string {
  if (typeof input === 'string') return input;
  if (input instanceof Uint8Array) {
    try {
      return decoder.decode(input);
    } catch {
      throw new MailHygieneError(
        'INVALID_BODY',
        `${field} is not valid UTF-8; decode it with its real charset first`,
        { field },
      );
    }
  }
  throw new MailHygieneError('INVALID_BODY', `${field} must be a string`, { field });
}

/** The error for text no text part may carry. NUL is reported first when both occur. */
export function uncarriableText(
  problem: 'nul' | 'unpaired-surrogate',
  field: string,
): MailHygieneError {
  return problem === 'nul'
    ? new MailHygieneError(
        'INVALID_BODY',
        `${field} contains NUL (U+0000), which no text part may carry`,
        { field, codePoint: 0 },
      )
    : new MailHygieneError(
        'INVALID_BODY',
        `${field} contains an unpaired surrogate; it cannot be encoded as UTF-8`,
        { field },
      );
}

/** Line endings normalised: CRLF, bare CR and bare LF all become CRLF. */
export function toCrlf(text: string): string {
  // The common cases without a regex: no CR at all (LF-only or one line), then a
  // plain replaceAll does it; anything with CR goes through the general rule.
  return !text.includes('\r')
    ? text.replaceAll('\n', '\r\n')
    : /\r(?!\n)|(?<!\r)\n/.test(text)
      ? text.replace(/\r\n|\r|\n/g, '\r\n')
      : text;
}

/**
 * {@link checkedText} as the UTF-8 bytes of a text part, line ends normalised
 * to CRLF.
 */
export function textToBytes(input: unknown, field: string): Buffer {
  return Buffer.from(toCrlf(checkedText(input, field)), 'utf8');
}

function isWellFormed(s: string): boolean {
  const f = (s as { isWellFormed?: () => boolean }).isWellFormed;
  if (f) return f.call(s);
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}
