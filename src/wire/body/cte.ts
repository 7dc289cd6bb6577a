/**
 * Content-Transfer-Encoding chosen once per part: 7bit when it is ASCII text
 * with short lines and nothing a relay could alter, otherwise the shorter of
 * quoted-printable and base64. The text is checked text (body/text.ts) with
 * any line ends; every encoding makes them CRLF.
 *
 * The quoted-printable pass is also the scan: it reports 7bit-safety and the
 * sizes, so the common cases (QP, and 7bit text whose QP is the text itself)
 * read the text once.
 */
import { base64Length, encodeBase64 } from './base64.js';
import { encodeQuotedPrintable, type QuotedPrintableText } from './quoted-printable.js';
import { decodedText, toCrlf, uncarriableText } from './text.js';

/** The Content-Transfer-Encodings we write (RFC 2045 §6); foreign mail may declare others. */
export type Cte = '7bit' | 'quoted-printable' | 'base64';

export interface EncodedBody {
  cte: Cte;
  bytes: Buffer;
}

/** Encodes a text part's text (checked text) with the best CTE. */
export function encodeText(text: string): EncodedBody {
  return bestEncoding(text, encodeQuotedPrintable(text));
}

/**
 * Text input (string or UTF-8 bytes, any line ends) checked and encoded for
 * its text part in one pass: the same refusals as `checkedText` (invalid
 * UTF-8, NUL, unpaired surrogates), found by the encoding pass itself.
 */
export function encodeTextInput(
  input: unknown,
  field: string,
): { text: string; body: EncodedBody } {
  const text = decodedText(input, field);
  const qp = encodeQuotedPrintable(text);
  if (qp.nul) throw uncarriableText('nul', field);
  if (qp.unpairedSurrogate) throw uncarriableText('unpaired-surrogate', field);
  return { text, body: bestEncoding(text, qp) };
}

function bestEncoding(text: string, qp: QuotedPrintableText): EncodedBody {
  if (qp.safe7bit) {
    // QP of 7bit text differs from it only by "=" escapes and soft breaks at 76–78.
    const bytes =
      qp.bytes.length === qp.utf8Length ? qp.bytes : Buffer.from(toCrlf(text), 'latin1');
    return { cte: '7bit', bytes };
  }
  if (qp.qpEstimate <= base64Length(qp.utf8Length)) {
    return { cte: 'quoted-printable', bytes: qp.bytes };
  }
  return { cte: 'base64', bytes: encodeBase64(Buffer.from(toCrlf(text), 'utf8')) };
}
