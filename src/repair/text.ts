/**
 * Bytes of legacy mail → text. One rule for headers and bodies: valid UTF-8 is
 * UTF-8, anything else 8-bit is read in the configured legacy charset (the
 * usual PHP/Windows default is windows-1252). Charset decoding is lint's
 * decode.ts, which loads iconv-lite only for labels TextDecoder lacks.
 */
import { BAD_CHARSETS, decodeCharset, has8bit, isValidUtf8 } from '../lint/decode.js';

/** What was read and how. */
export interface ReadText {
  text: string;
  /** The charset the bytes were read in ('us-ascii', 'utf-8' or the legacy one). */
  charset: string;
}

/** Reads 8-bit-or-not bytes with no trustworthy label. */
export function readUnlabelled(bytes: Uint8Array, legacyCharset: string): ReadText {
  if (!has8bit(bytes)) return { text: Buffer.from(bytes).toString('latin1'), charset: 'us-ascii' };
  if (isValidUtf8(bytes)) return { text: Buffer.from(bytes).toString('utf8'), charset: 'utf-8' };
  return { text: decodeCharset(bytes, legacyCharset).text, charset: legacyCharset };
}

/** A header field body given as a binary string (one char per octet) → text. */
export function readHeaderBinary(binary: string, legacyCharset: string): string {
  return readUnlabelled(Buffer.from(binary, 'latin1'), legacyCharset).text;
}

/**
 * Reads a text body with its declared charset. A missing, placeholder or
 * US-ASCII label, or UTF-8 that is not valid UTF-8, falls back to
 * {@link readUnlabelled}; `relabelled` says the label was not trusted.
 */
export function readBodyText(
  bytes: Uint8Array,
  declared: string | undefined,
  legacyCharset: string,
): ReadText & { relabelled: boolean } {
  const label = declared?.trim().toLowerCase();
  const untrusted =
    label === undefined ||
    label === '' ||
    label === 'us-ascii' ||
    label === 'ascii' ||
    ((label === 'utf-8' || label === 'utf8') && !isValidUtf8(bytes)) ||
    (BAD_CHARSETS.has(label) && !label.includes('utf-7'));
  if (untrusted) {
    const r = readUnlabelled(bytes, legacyCharset);
    return { ...r, relabelled: r.charset !== 'us-ascii' };
  }
  const d = decodeCharset(bytes, label);
  return { text: d.text, charset: label, relabelled: false };
}

const CRLF = Buffer.from('\r\n');

/**
 * Every bare LF made CRLF (what PHP and local sendmail write); undefined when
 * the bytes hold a bare CR, whose meaning (a line end or not) is not known.
 */
export function lfToCrlf(bytes: Buffer): Buffer | undefined {
  if (hasBareCr(bytes)) return undefined;
  const parts: Buffer[] = [];
  let from = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) {
    if (i > 0 && bytes[i - 1] === 13) continue;
    parts.push(bytes.subarray(from, i), CRLF);
    from = i + 1;
  }
  if (parts.length === 0) return bytes;
  parts.push(bytes.subarray(from));
  return Buffer.concat(parts);
}

function hasBareCr(b: Buffer): boolean {
  for (let i = b.indexOf(13); i !== -1; i = b.indexOf(13, i + 1)) if (b[i + 1] !== 10) return true;
  return false;
}

/** Text in its canonical form (RFC 2045 §6.8): CRLF, bare CR and bare LF all become CRLF. */
export function toCrlfBinary(bytes: Buffer): Buffer {
  return Buffer.from(bytes.toString('latin1').replace(/\r\n|\r|\n/g, '\r\n'), 'latin1');
}
