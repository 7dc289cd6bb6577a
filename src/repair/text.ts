/**
 * Bytes of legacy mail → text, through the read side's one charset layer
 * (read/charset.ts: WHATWG labels, iconv-lite, loaded only for 8-bit legacy
 * text). Valid UTF-8 is UTF-8; other 8-bit bytes are read in the charset they
 * are labelled with, or guessed as below. Nothing read here keeps a C1 control
 * (U+0080–U+009F) decoded from legacy bytes: see {@link withoutC1}.
 */

import type { ParsedMessage } from '../read/index.js';
import {
  BAD_CHARSETS,
  c1Sibling,
  decodeCharset,
  decodeWords,
  findEncodedWords,
  has8bit,
  isUnicodeCharset,
  isValidUtf8,
  replaceC1,
  resolveCharset,
  wordCharset,
} from '../read/index.js';

/** What was read and how. */
export interface ReadText {
  text: string;
  /** The charset the bytes were read in ('us-ascii', 'utf-8' or the legacy one). */
  charset: string;
}

/**
 * Text decoded from `label` without C1 controls: in a legacy charset they are
 * the bytes 0x80–0x9F of its Windows sibling ("declared iso-8859-2, but the
 * bytes are windows-1250"). UTF-8/UTF-16 text is left as it is: there a C1
 * code point was written on purpose, and the composer refuses it in headers.
 */
function withoutC1(text: string, label: string): string {
  const enc = resolveCharset(label);
  return enc === null || isUnicodeCharset(enc) ? text : replaceC1(text, enc);
}

/** Reads 8-bit-or-not bytes with no trustworthy label. */
function readUnlabelled(bytes: Uint8Array, legacyCharset: string): ReadText {
  if (!has8bit(bytes)) return { text: Buffer.from(bytes).toString('latin1'), charset: 'us-ascii' };
  if (isValidUtf8(bytes)) return { text: Buffer.from(bytes).toString('utf8'), charset: 'utf-8' };
  const text = withoutC1(decodeCharset(bytes, legacyCharset).text, legacyCharset);
  return { text, charset: legacyCharset };
}

/**
 * A header field body given as a binary string (one char per octet) → text.
 * `charset` is what {@link rawHeaderCharset} chose for the message.
 */
export function readHeaderBinary(binary: string, charset: string): string {
  return readUnlabelled(Buffer.from(binary, 'latin1'), charset).text;
}

const headerCharsets = new WeakMap<ParsedMessage, string>();

/**
 * The charset of raw 8-bit header text (Subject, display names, filenames)
 * that is not valid UTF-8: the one the message's text part declares (PHP's
 * mail() writes headers and body in one charset, so a windows-1251 body comes
 * with a windows-1251 Subject), else `legacyCharset`. US-ASCII, UTF-8 and
 * placeholder labels say nothing about 8-bit header bytes and are skipped.
 */
export function rawHeaderCharset(msg: ParsedMessage, legacyCharset: string): string {
  let cs = headerCharsets.get(msg);
  if (cs === undefined) {
    cs = legacyCharset;
    for (const part of msg.parts) {
      if (part.mediaType !== 'text/plain' && part.mediaType !== 'text/html') continue;
      const label = part.contentType?.params.get('charset');
      const enc = label === undefined ? null : resolveCharset(label);
      if (enc === null || isUnicodeCharset(enc) || /^(us-)?ascii$/i.test(label!.trim())) continue;
      cs = label!.trim().toLowerCase();
      break;
    }
    headerCharsets.set(msg, cs);
  }
  return cs;
}

/**
 * Header text with its RFC 2047 words decoded (`decodeWords`), words in a
 * legacy charset without C1 controls ({@link withoutC1}).
 */
export function decodeHeaderWords(s: string): string {
  const words = findEncodedWords(s);
  if (words.length === 0) return s;
  return decodeWords(
    s,
    words.map((w) => ({ ...w, decoded: withoutC1(w.decoded, wordCharset(w.charset)) })),
  );
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
  const decoded = decodeCharset(bytes, label).text;
  const text = withoutC1(decoded, label);
  // Text that held C1 controls was in the sibling code page: an attached file is relabelled.
  return text === decoded
    ? { text, charset: label, relabelled: false }
    : { text, charset: c1Sibling(resolveCharset(label)!), relabelled: true };
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
