/**
 * Content-Transfer-Encoding chosen once per part from one scan of its bytes:
 * 7bit when it is ASCII text with short lines and nothing a relay could alter,
 * otherwise the shorter of quoted-printable and base64.
 */
import { base64Length, encodeBase64 } from './base64.js';
import { encodeQuotedPrintable } from './quoted-printable.js';

export type Cte = '7bit' | 'quoted-printable' | 'base64';

export interface EncodedBody {
  cte: Cte;
  bytes: Buffer;
}

/** True when CRLF-normalised `body` can go out as 7bit unchanged (RFC 2045 §2.7, RFC 5322 §2.1.1 at 78). */
export function isSafe7bit(body: Uint8Array): boolean {
  let col = 0;
  for (let i = 0; i < body.length; i++) {
    const b = body[i]!;
    if (b === 13) {
      if (body[i + 1] !== 10) return false;
      const prev = body[i - 1];
      if (prev === 32 || prev === 9) return false; // trailing whitespace
      i++;
      col = 0;
      continue;
    }
    if (b > 126 || (b < 32 && b !== 9)) return false;
    // Line-initial "." and "From " stay exact only under QP.
    if (
      col === 0 &&
      (b === 46 ||
        (b === 70 &&
          body[i + 1] === 114 &&
          body[i + 2] === 111 &&
          body[i + 3] === 109 &&
          body[i + 4] === 32))
    )
      return false;
    if (++col > 78) return false;
  }
  const last = body[body.length - 1];
  return last !== 32 && last !== 9;
}

/** Encodes a text part's bytes with the best CTE. */
export function encodeText(body: Buffer): EncodedBody {
  if (isSafe7bit(body)) return { cte: '7bit', bytes: body };
  const qp = encodeQuotedPrintable(body);
  if (qp.length <= base64Length(body.length)) return { cte: 'quoted-printable', bytes: qp };
  return { cte: 'base64', bytes: encodeBase64(body) };
}
