/**
 * DKIM canonicalization (RFC 6376 §3.4). Headers are handled as latin1
 * strings so that any 8-bit octet survives a round trip unchanged; the
 * composer only emits ASCII headers anyway.
 */

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
 * Splits a header block (the octets before the empty line) into fields.
 * Continuation lines (starting with SP or HTAB) belong to the field above.
 *
 * @example
 * ```ts
 * parseHeaderBlock(Buffer.from('Subject: a\r\n b\r\nTo: x@y.example\r\n'))
 * // [{ name: 'Subject', key: 'subject', raw: 'Subject: a\r\n b' }, { name: 'To', ... }]
 * ```
 */
export function parseHeaderBlock(block: Buffer | string): HeaderField[] {
  const text = typeof block === 'string' ? block : block.toString('latin1');
  const lines = text.split('\r\n');
  const fields: HeaderField[] = [];
  for (const line of lines) {
    if (line === '') continue;
    const first = line.charCodeAt(0);
    const last = fields[fields.length - 1];
    if ((first === 0x20 || first === 0x09) && last) {
      last.raw += `\r\n${line}`;
      continue;
    }
    const colon = line.indexOf(':');
    // A line without a colon is not a header field; keeping it out of the
    // signed set is safer than guessing a name for it.
    if (colon <= 0) continue;
    const name = trimWspEnd(line.slice(0, colon));
    fields.push({ name, key: name.toLowerCase(), raw: line });
  }
  return fields;
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

/** Simple header canonicalization: the field exactly as on the wire, plus CRLF. */
export function canonicalizeHeaderSimple(raw: string): string {
  return `${raw}\r\n`;
}

/** Canonicalizes one header field with the chosen algorithm. */
export function canonicalizeHeader(raw: string, c: Canonicalization): string {
  return c === 'relaxed' ? canonicalizeHeaderRelaxed(raw) : canonicalizeHeaderSimple(raw);
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
