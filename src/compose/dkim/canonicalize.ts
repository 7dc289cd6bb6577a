/**
 * DKIM canonicalization (RFC 6376 §3.4). Headers are handled as latin1
 * strings so that any 8-bit octet survives a round trip unchanged; the
 * composer only emits ASCII headers anyway.
 */

import { parseHeaderSection } from '../../read/index.js';
import { MailHygieneError } from '../../wire/index.js';

/** One header field as it appears on the wire. */
export interface HeaderField {
  /** Field name as written (case preserved). */
  name: string;
  /** Field name lower-cased, for lookups. */
  key: string;
  /** The whole field including folded continuation lines, without the final CRLF. */
  raw: string;
}

/** DKIM canonicalization algorithms (RFC 6376 §3.4). */
export type Canonicalization = 'relaxed' | 'simple';

/**
 * Splits a header block (the octets before the empty line) into fields with
 * the read floor's header reader, so the signer sees the fields every other
 * part of the library (and the receiver) sees. Continuation lines belong to
 * the field above. A line that is no header field is refused: the fields after
 * it would otherwise go unsigned, or be guessed at.
 *
 * @throws MailHygieneError `INVALID_INPUT` (field `raw`) for a line that is no header field
 *
 * @example
 * ```ts
 * parseHeaderBlock(Buffer.from('Subject: a\r\n b\r\nTo: x@y.example\r\n'))
 * // [{ name: 'Subject', key: 'subject', raw: 'Subject: a\r\n b' }, { name: 'To', ... }]
 * ```
 */
export function parseHeaderBlock(block: Buffer | string): HeaderField[] {
  const bytes = typeof block === 'string' ? Buffer.from(block, 'latin1') : block;
  const { headers, bodyStart, complete } = parseHeaderSection(bytes);
  if (!complete) {
    const line = bytes
      .subarray(bodyStart, bodyStart + 60)
      .toString('latin1')
      .split(/\r?\n/)[0];
    throw new MailHygieneError(
      'INVALID_INPUT',
      `cannot DKIM-sign: ${JSON.stringify(line)} in the header block is not a header field (name: value)`,
      { field: 'raw' },
    );
  }
  return headers.map((h) => ({
    name: h.name,
    key: h.key,
    raw: bytes.toString('latin1', h.start, h.end),
  }));
}

/**
 * Relaxed header canonicalization: lower-case name, unfold, collapse WSP runs
 * to one SP, trim WSP around the value and after the name. Returns the field
 * with a trailing CRLF, ready to be hashed.
 */
export function canonicalizeHeaderRelaxed(raw: string): string {
  const colon = raw.indexOf(':');
  const name = trimWspEnd(raw.slice(0, colon)).toLowerCase();
  const value = raw
    .slice(colon + 1)
    .replace(/\r\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/^ /, '')
    .replace(/ $/, '');
  return `${name}:${value}\r\n`;
}

/**
 * Relaxed body canonicalization of complete lines (text that ends in CRLF or
 * is empty): WSP runs become one SP, WSP before CRLF is removed. Empty lines
 * at the end are *not* handled here: that needs state across chunks, see
 * `createBodyHasher`.
 */
export function relaxBodyLines(text: string): string {
  return text.replace(/[ \t]+/g, ' ').replace(/ (?=\r\n)/g, '');
}

/** `s` without trailing SP/HTAB; a loop because `/[ \t]+$/` is quadratic on a long inner run. */
function trimWspEnd(s: string): string {
  let end = s.length;
  while (end > 0 && (s[end - 1] === ' ' || s[end - 1] === '\t')) end--;
  return s.slice(0, end);
}
