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

/** What one pass over a part's bytes tells: 7bit-safety and the quoted-printable size. */
export interface TextScan {
  /** CRLF-normalised text that can go out as 7bit unchanged (RFC 2045 §2.7, RFC 5322 §2.1.1 at 78). */
  safe7bit: boolean;
  /**
   * Size of the quoted-printable encoding, counting soft breaks every 75
   * characters. It leaves out the few characters that are encoded only for
   * their position (trailing whitespace, a line-initial "." or "From "), so it
   * can be slightly low; it only decides between QP and base64.
   */
  qpLength: number;
}

/** One scan of `body` (CRLF line ends). */
export function scanText(body: Uint8Array): TextScan {
  let safe7bit = true;
  let qpLength = 0;
  let lineQp = 0; // encoded characters on the current line
  let col = 0; // raw characters on the current line
  const endLine = () => {
    if (lineQp > 76) qpLength += 3 * Math.floor((lineQp - 1) / 75); // "=" CRLF soft breaks
    qpLength += lineQp;
    lineQp = 0;
    col = 0;
  };
  for (let i = 0; i < body.length; i++) {
    const b = body[i]!;
    if (b === 13 && body[i + 1] === 10) {
      const prev = body[i - 1];
      if (prev === 32 || prev === 9) safe7bit = false; // trailing whitespace
      endLine();
      qpLength += 2;
      i++;
      continue;
    }
    if (b > 126 || (b < 32 && b !== 9)) {
      safe7bit = false;
      lineQp += 3;
    } else {
      lineQp += b === 61 ? 3 : 1;
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
        safe7bit = false;
    }
    if (++col > 78) safe7bit = false;
  }
  endLine();
  const last = body[body.length - 1];
  if (last === 32 || last === 9) safe7bit = false;
  return { safe7bit, qpLength };
}

/** Encodes a text part's bytes with the best CTE, chosen from one scan; encodes once. */
export function encodeText(body: Buffer): EncodedBody {
  const scan = scanText(body);
  if (scan.safe7bit) return { cte: '7bit', bytes: body };
  if (scan.qpLength <= base64Length(body.length)) {
    return { cte: 'quoted-printable', bytes: encodeQuotedPrintable(body) };
  }
  return { cte: 'base64', bytes: encodeBase64(body) };
}
