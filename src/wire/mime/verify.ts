/**
 * The composer's default self-check: one pass over the exact output bytes
 * against the shape the renderer was asked to write ({@link WireShape}),
 * decoding no body. It proves what a relay or a parser will act on:
 *
 * - framing: CRLF only, no NUL, lines ≤ 998 octets (RFC 5322 §2.1.1, §2.3);
 * - each header block: field-name grammar (RFC 5322 §3.6.8), continuation
 *   lines only after a field and never blank, 7-bit unless SMTPUTF8 (then
 *   valid UTF-8, RFC 6532), lines over 78 octets only where no fold was
 *   possible, encoded-words well-formed and ≤ 75 characters on lines ≤ 76
 *   (RFC 2047 §2, §5);
 * - exactly the header fields the model rendered, in order, each once: a
 *   value that smuggled a CRLF and a field of its own (header injection)
 *   shows up as a field the model never asked for;
 * - each body in its Content-Transfer-Encoding's alphabet and line shape
 *   (RFC 2045 §2.7, §6.7, §6.8);
 * - boundaries well-formed (RFC 2046 §5.1.1), declared once, unrelated to
 *   the enclosing ones and absent from every body; the part count as built;
 * - HTML only inside multipart/alternative with a text/plain first.
 *
 * It returns the first defect (`undefined` when there is none); the caller
 * decides what a defect means (compose: a bug, the message is refused).
 */
import { isUtf8 } from 'node:buffer';
import {
  FOLD_AT,
  MAX_ENCODED_BODY_LINE,
  MAX_ENCODED_LINE,
  MAX_ENCODED_WORD,
  MAX_LINE_LENGTH as MAX_LINE,
} from '../limits.js';
import type { WireShape } from './render.js';

/** A full base64 line: 76 characters and CRLF. */
const B64_STRIDE = MAX_ENCODED_BODY_LINE + 2;

const CR = 13;
const LF = 10;
const SP = 32;
const TAB = 9;

/** The first defect found: which check, where (octet offset), and what. */
export interface WireDefect {
  readonly check: WireCheck;
  readonly offset: number;
  readonly message: string;
}

export type WireCheck =
  | 'framing'
  | 'header-line'
  | 'header-fields'
  | 'encoded-word'
  | 'body-7bit'
  | 'body-quoted-printable'
  | 'body-base64'
  | 'boundary'
  | 'structure';

export interface VerifyOptions {
  /** 8-bit header bytes are allowed (as UTF-8) only with SMTPUTF8 (RFC 6531/6532). */
  readonly smtputf8: boolean;
}

/** Octet classes of a header line: 1 = printable ASCII or WSP, 0 = other (controls, DEL, 8-bit). */
const HEADER_OK = new Uint8Array(256);
/** Octets of a 7bit body line: anything but NUL, CR, LF and 8-bit. */
const SEVEN_BIT_OK = new Uint8Array(256);
/** Octets standing for themselves in a quoted-printable line (RFC 2045 §6.7 (2), (3)). */
const QP_LITERAL = new Uint8Array(256);
/** Upper-case hex digits: our encoder writes them (RFC 2045 §6.7 (1)). */
const HEX = new Uint8Array(256);
/** 1 for the base64 alphabet (RFC 2045 §6.8 Table 1). */
const B64 = new Uint8Array(256);
/** ftext (RFC 5322 §3.6.8): printable ASCII but ':'. */
const FTEXT = new Uint8Array(256);
/** bchars (RFC 2046 §5.1.1). */
const BCHARS = new Uint8Array(256);
/** Characters of a Q encoded-word's text in any context (RFC 2047 §5 (3)), '=' and '_' included. */
const Q_WORD = new Uint8Array(256);
/** RFC 2047 `token` characters of a charset name. */
const TOKEN = new Uint8Array(256);
const setAll = (t: Uint8Array, chars: string): void => {
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
};
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
for (let c = 0; c < 256; c++) {
  HEADER_OK[c] = (c >= 32 && c < 127) || c === TAB ? 1 : 0;
  SEVEN_BIT_OK[c] = c > 0 && c < 128 && c !== CR && c !== LF ? 1 : 0;
  QP_LITERAL[c] = (c >= 33 && c <= 126 && c !== 61) || c === SP || c === TAB ? 1 : 0;
  FTEXT[c] = c >= 33 && c <= 126 && c !== 58 ? 1 : 0;
  TOKEN[c] = c > 32 && c < 127 && !'()<>@,;:"/[]?.='.includes(String.fromCharCode(c)) ? 1 : 0;
}
setAll(HEX, '0123456789ABCDEF');
setAll(B64, `${ALNUM}+/`);
setAll(BCHARS, `${ALNUM}'()+_,-./:=? `);
setAll(Q_WORD, `${ALNUM}!*+-/=_`);

/**
 * Base64 octet pairs (little-endian 16-bit) → how many of the two octets are
 * outside the alphabet. Summed over a body read as 32-bit words (two lookups
 * per four octets) it must equal the CR and LF octets of the line breaks,
 * each checked at its place first: any other octet makes the sum larger.
 */
const B64_PAIR = new Uint8Array(65536);
for (let a = 0; a < 256; a++) {
  for (let b = 0; b < 256; b++) B64_PAIR[a | (b << 8)] = 2 - B64[a]! - B64[b]!;
}

/**
 * Octet pairs (little-endian 16-bit) whose two octets need no attention:
 * {@link QP_PLAIN} both quoted-printable literals, {@link SEVEN_PLAIN} both
 * plain 7bit octets. The body loops skip such 32-bit words (two lookups per
 * four octets) and look at single octets only around "=", CR and LF.
 */
const QP_PLAIN = 1;
const SEVEN_PLAIN = 2;
const PLAIN_PAIR = new Uint8Array(65536);
for (let a = 0; a < 256; a++) {
  for (let b = 0; b < 256; b++) {
    PLAIN_PAIR[a | (b << 8)] =
      (QP_LITERAL[a]! & QP_LITERAL[b]! ? QP_PLAIN : 0) |
      (SEVEN_BIT_OK[a]! & SEVEN_BIT_OK[b]! ? SEVEN_PLAIN : 0);
  }
}

/** The 32-bit words of `raw`'s memory (a body loop reads whole words where it can). */
function wordsOf(raw: Buffer): Uint32Array {
  return new Uint32Array(raw.buffer, 0, raw.buffer.byteLength >>> 2);
}

/**
 * From the 4-aligned offset `i`, skips whole words of plain octets (`kind`)
 * before `end`; returns the first offset still to look at.
 */
function skipPlain(words: Uint32Array, base: number, i: number, end: number, kind: number): number {
  let w = (base + i) >>> 2;
  const last = (base + end) >>> 2;
  while (w < last) {
    const x = words[w]!;
    if ((PLAIN_PAIR[x & 0xffff]! & PLAIN_PAIR[x >>> 16]! & kind) === 0) break;
    w++;
  }
  return w * 4 - base;
}

/** What the walk knows about the enclosing multipart entities. */
interface Enclosing {
  /** `\r\n--boundary` */
  readonly delimiter: Buffer;
  readonly boundary: string;
  readonly subtype: string;
  /** An alternative whose first part is text/plain. */
  plainFirst: boolean;
}

/** Thrown inside the walk to stop at the first defect; caught by {@link verifyWire}. */
class Defect extends Error {
  constructor(readonly defect: WireDefect) {
    super(defect.message);
  }
}

function fail(check: WireCheck, offset: number, message: string): never {
  throw new Defect({ check, offset, message });
}

/** One header field as found on the wire: name and unfolded value (latin1). */
interface Field {
  readonly name: string;
  readonly value: string;
  readonly offset: number;
}

/**
 * Verifies `raw` against `shape`. Returns the first defect, or undefined.
 *
 * @example
 * ```ts
 * verifyWire(raw, wireShape(root, headers), { smtputf8: false }) // undefined
 * ```
 */
export function verifyWire(
  raw: Buffer,
  shape: WireShape,
  options: VerifyOptions,
): WireDefect | undefined {
  try {
    const end = new Walk(raw, options).entity(shape, 0, []);
    if (end !== raw.length) fail('structure', end, 'bytes after the end of the message');
    return undefined;
  } catch (e) {
    if (e instanceof Defect) return e.defect;
    throw e;
  }
}

class Walk {
  constructor(
    private readonly raw: Buffer,
    private readonly options: VerifyOptions,
  ) {}

  /** Verifies one entity starting at `start`; returns the offset after it. */
  entity(shape: WireShape, start: number, outer: Enclosing[]): number {
    const { fields, bodyStart } = this.headerBlock(start);
    this.expectFields(fields, shape.fields, start);
    return shape.kind === 'leaf'
      ? this.leaf(shape, fields, bodyStart, outer)
      : this.multipart(shape, fields, bodyStart, outer);
  }

  /**
   * The header block from `start` to its blank line: every line checked for
   * framing, octets, length and folding; returns the fields and the body start.
   */
  private headerBlock(start: number): { fields: Field[]; bodyStart: number } {
    const raw = this.raw;
    const fields: Field[] = [];
    let pos = start;
    let eightBit = false;
    let name = '';
    let nameAt = 0;
    let value = '';
    for (;;) {
      const lf = raw.indexOf(LF, pos);
      if (lf < 0) fail('structure', pos, 'header block without the blank line that ends it');
      if (lf === pos || raw[lf - 1] !== CR) fail('framing', lf, 'bare LF in a header line');
      const end = lf - 1;
      if (end === pos) break; // the blank line
      if (end - pos > MAX_LINE)
        fail('framing', pos, `header line of ${end - pos} octets (limit ${MAX_LINE})`);
      for (let i = pos; i < end; i++) {
        const c = raw[i]!;
        if (HEADER_OK[c]) continue;
        if (c >= 0x80 && this.options.smtputf8) {
          eightBit = true;
          continue;
        }
        fail(
          c === CR ? 'framing' : 'header-line',
          i,
          c === CR
            ? 'bare CR in a header line'
            : c === 0
              ? 'NUL in a header line'
              : c >= 0x80
                ? '8-bit octet in a header line without SMTPUTF8'
                : `control character 0x${c.toString(16)} in a header line`,
        );
      }
      const line = raw.toString('latin1', pos, end);
      const first = line.charCodeAt(0);
      if (first === SP || first === TAB) {
        if (name === '') fail('header-line', pos, 'continuation line before the first field');
        if (line.trim() === '') fail('header-line', pos, 'blank continuation line');
        value += line;
      } else {
        if (name !== '') fields.push({ name, value, offset: nameAt });
        const colon = line.indexOf(':');
        if (colon <= 0) fail('header-line', pos, 'header line that is neither a field nor a fold');
        for (let i = 0; i < colon; i++) {
          if (!FTEXT[line.charCodeAt(i)]) fail('header-line', pos + i, 'invalid field name');
        }
        name = line.slice(0, colon);
        nameAt = pos;
        value = line.slice(colon + 1);
      }
      this.headerLine(line, pos, first === SP || first === TAB);
      pos = lf + 1;
    }
    if (name !== '') fields.push({ name, value, offset: nameAt });
    if (eightBit && !isUtf8(raw.subarray(start, pos))) {
      fail('header-line', start, '8-bit header octets that are not UTF-8');
    }
    return { fields, bodyStart: pos + 2 };
  }

  /**
   * Folding and encoded-words of one header line. Its words are the runs
   * between whitespace outside quoted-strings; the first word of a field
   * line is `Name:`. A line over 78 octets may hold only one word after it:
   * otherwise a fold was possible and not made.
   */
  private headerLine(line: string, at: number, continuation: boolean): void {
    let words = 0;
    let quoted = false;
    let encoded = false;
    let i = 0;
    const n = line.length;
    while (i < n) {
      while (i < n && (line.charCodeAt(i) === SP || line.charCodeAt(i) === TAB)) i++;
      if (i === n) break;
      const wordStart = i;
      for (; i < n; i++) {
        const c = line.charCodeAt(i);
        if (quoted) {
          if (c === 92)
            i++; // quoted-pair
          else if (c === 34) quoted = false;
        } else if (c === 34) quoted = true;
        else if (c === SP || c === TAB) break;
      }
      words++;
      if (line.charCodeAt(wordStart) === 61 && line.charCodeAt(wordStart + 1) === 63) {
        encodedWord(line.slice(wordStart, i), at + wordStart);
        encoded = true;
      }
    }
    const octets = Buffer.byteLength(line, 'latin1');
    const allowedWords = continuation ? 1 : 2;
    if (octets > FOLD_AT && words > allowedWords) {
      fail('header-line', at, `header line of ${octets} octets not folded where it could be`);
    }
    if (encoded && octets > MAX_ENCODED_LINE) {
      fail(
        'encoded-word',
        at,
        `line of ${octets} characters holds an encoded-word (limit ${MAX_ENCODED_LINE})`,
      );
    }
  }

  /** The fields on the wire are exactly the ones rendered, in order, each once. */
  private expectFields(found: readonly Field[], expected: readonly string[], at: number): void {
    const n = Math.min(found.length, expected.length);
    for (let i = 0; i < n; i++) {
      if (found[i]!.name !== expected[i]) {
        fail(
          'header-fields',
          found[i]!.offset,
          `header field ${i + 1} is ${found[i]!.name}, expected ${expected[i]}`,
        );
      }
    }
    if (found.length > expected.length) {
      fail('header-fields', found[n]!.offset, `extra header field ${found[n]!.name}`);
    }
    if (found.length < expected.length) {
      fail('header-fields', at, `missing header field ${expected[n]}`);
    }
  }

  private leaf(
    shape: Extract<WireShape, { kind: 'leaf' }>,
    fields: readonly Field[],
    bodyStart: number,
    outer: Enclosing[],
  ): number {
    const raw = this.raw;
    const cte = fieldValue(fields, 'content-transfer-encoding');
    if (cte !== undefined && cte.trim().toLowerCase() !== shape.cte) {
      fail('structure', bodyStart, `Content-Transfer-Encoding ${cte.trim()}, built ${shape.cte}`);
    }
    this.htmlInAlternative(fields, outer, bodyStart);
    const parent = outer[outer.length - 1];
    // The body ends at the first delimiter of the enclosing multipart (searched from the
    // CRLF before the body, so a body starting with the delimiter ends empty); at the top
    // level at the message's final CRLF.
    let end: number;
    if (parent) {
      end = raw.indexOf(parent.delimiter, bodyStart - 2);
      if (end < 0) fail('boundary', bodyStart, 'part without its closing delimiter');
      if (end < bodyStart)
        fail('boundary', bodyStart, `a body holds the boundary ${parent.boundary}`);
    } else {
      end = raw.length;
      if (end < bodyStart + 2 || raw[end - 2] !== CR || raw[end - 1] !== LF)
        fail('framing', end, 'the message does not end in CRLF');
      // The renderer adds the final CRLF unless the body ends in one; either way it is a line end.
      end -= 2;
    }
    if (shape.cte === 'base64') base64Body(raw, bodyStart, end);
    else if (shape.cte === 'quoted-printable') qpBody(raw, bodyStart, end);
    else {
      sevenBitBody(raw, bodyStart, end);
      // QP and base64 lines cannot start with "--=_" (an invalid escape; outside the
      // alphabet), our boundaries' prefix; a 7bit body can, so it is searched.
      for (const o of outer) {
        const at = raw.subarray(0, end).indexOf(o.delimiter, bodyStart - 2);
        if (at >= 0) fail('boundary', at, `a body holds the boundary ${o.boundary}`);
      }
    }
    return parent ? end : raw.length;
  }

  /**
   * README: "multipart/alternative whenever there is HTML": a body HTML part
   * (no Content-Disposition: not an attachment) sits in an alternative after
   * a text/plain part (RFC 2046 §5.1.4: the plainest first).
   */
  private htmlInAlternative(fields: readonly Field[], outer: Enclosing[], at: number): void {
    if (fieldValue(fields, 'content-disposition') !== undefined) return;
    const type = (fieldValue(fields, 'content-type') ?? '').trim().toLowerCase();
    let alternative: Enclosing | undefined;
    for (const o of outer) if (o.subtype === 'alternative') alternative = o;
    if (type.startsWith('text/plain') && alternative) alternative.plainFirst = true;
    if (type.startsWith('text/html') && !alternative?.plainFirst) {
      fail('structure', at, 'HTML without a text/plain alternative (multipart/alternative)');
    }
  }

  private multipart(
    shape: Extract<WireShape, { kind: 'multipart' }>,
    fields: readonly Field[],
    bodyStart: number,
    outer: Enclosing[],
  ): number {
    const raw = this.raw;
    const { subtype, boundary } = this.contentType(fields, bodyStart);
    if (subtype !== shape.subtype) {
      fail('structure', bodyStart, `multipart/${subtype}, built multipart/${shape.subtype}`);
    }
    for (const o of outer) {
      if (o.boundary.startsWith(boundary) || boundary.startsWith(o.boundary)) {
        fail('boundary', bodyStart, `boundary ${boundary} overlaps the enclosing ${o.boundary}`);
      }
    }
    const me: Enclosing = {
      delimiter: Buffer.from(`\r\n--${boundary}`, 'latin1'),
      boundary,
      subtype,
      plainFirst: false,
    };
    const inner = [...outer, me];
    // No preamble: the first delimiter line opens the body (delimiter minus its CRLF).
    if (!startsWith(raw, bodyStart, me.delimiter, 2)) {
      fail('boundary', bodyStart, 'multipart body does not open with its delimiter');
    }
    let pos = bodyStart + me.delimiter.length - 2;
    for (let i = 0; i < shape.parts.length; i++) {
      if (i > 0) {
        if (!startsWith(raw, pos, me.delimiter, 0))
          fail('boundary', pos, 'part not followed by a delimiter');
        pos += me.delimiter.length;
      }
      if (raw[pos] !== CR || raw[pos + 1] !== LF)
        fail('boundary', pos, 'delimiter line with trailing text');
      pos = this.entity(shape.parts[i]!, pos + 2, inner);
    }
    // The close delimiter, then no epilogue: the parent's delimiter or the final CRLF.
    if (!startsWith(raw, pos, me.delimiter, 0) || raw[pos + me.delimiter.length] !== 45) {
      fail(
        'boundary',
        pos,
        `expected the close delimiter of ${boundary} after part ${shape.parts.length}`,
      );
    }
    pos += me.delimiter.length;
    if (raw[pos + 1] !== 45) fail('boundary', pos, 'malformed close delimiter');
    pos += 2;
    const parent = outer[outer.length - 1];
    if (parent) {
      if (!startsWith(raw, pos, parent.delimiter, 0))
        fail('boundary', pos, 'text after a close delimiter');
      return pos;
    }
    if (pos + 2 !== raw.length || raw[pos] !== CR || raw[pos + 1] !== LF) {
      fail('framing', pos, 'the message does not end in one CRLF after its close delimiter');
    }
    return raw.length;
  }

  /** `multipart/<subtype>; boundary="<b>"`, the one form the renderer writes, boundary declared once. */
  private contentType(fields: readonly Field[], at: number): { subtype: string; boundary: string } {
    const value = fieldValue(fields, 'content-type') ?? '';
    const m = /^ multipart\/([a-z]+);[ \t]+boundary="([^"]*)"$/.exec(value);
    if (!m) fail('boundary', at, `multipart Content-Type not as rendered: ${value.slice(0, 80)}`);
    const boundary = m[2]!;
    // RFC 2046 §5.1.1: 1–70 bchars, not ending in space; ours start with "=_" (render.ts).
    let ok = boundary.length >= 1 && boundary.length <= 70 && !boundary.endsWith(' ');
    for (let i = 0; ok && i < boundary.length; i++) ok = BCHARS[boundary.charCodeAt(i)] === 1;
    if (!ok || !boundary.startsWith('=_')) fail('boundary', at, `malformed boundary "${boundary}"`);
    return { subtype: m[1]!, boundary };
  }
}

/** The one value of the field `lowerName`; fields were checked against the shape, so once. */
function fieldValue(fields: readonly Field[], lowerName: string): string | undefined {
  for (const f of fields) if (f.name.toLowerCase() === lowerName) return f.value;
  return undefined;
}

function startsWith(raw: Buffer, at: number, needle: Buffer, from: number): boolean {
  const n = needle.length - from;
  return at + n <= raw.length && raw.compare(needle, from, needle.length, at, at + n) === 0;
}

/** `=?charset?B|Q?text?=`, at most 75 characters (RFC 2047 §2, §4, §5 (3)). */
function encodedWord(word: string, at: number): void {
  const bad = (why: string): never => fail('encoded-word', at, `encoded-word ${why}`);
  if (word.length > MAX_ENCODED_WORD)
    bad(`of ${word.length} characters (limit ${MAX_ENCODED_WORD})`);
  const q1 = word.indexOf('?', 2);
  if (q1 < 3 || word.charCodeAt(q1 + 2) !== 63 || !word.endsWith('?=') || word.length < q1 + 5)
    bad('malformed');
  for (let i = 2; i < q1; i++) if (!TOKEN[word.charCodeAt(i)]) bad('with an invalid charset');
  const enc = word[q1 + 1];
  const text = word.slice(q1 + 3, -2);
  if (enc === 'B' || enc === 'b') {
    if (text.length % 4 !== 0) bad('whose base64 is not padded');
    const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
    for (let i = 0; i < text.length - pad; i++)
      if (!B64[text.charCodeAt(i)]) bad('outside the base64 alphabet');
  } else if (enc === 'Q' || enc === 'q') {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (!Q_WORD[c]) bad('with a character Q may not carry');
      if (c === 61 && !(HEX[text.charCodeAt(i + 1)] && HEX[text.charCodeAt(i + 2)]))
        bad('with a broken =XX escape');
      if (c === 61) i += 2;
    }
  } else bad(`with the unknown encoding ${enc}`);
}

/** 7bit (RFC 2045 §2.7): octets 1–127, CRLF line ends, lines ≤ 998. */
function sevenBitBody(raw: Buffer, start: number, end: number): void {
  let lineStart = start;
  const words = wordsOf(raw);
  const base = raw.byteOffset;
  for (let i = start; i < end; i++) {
    if (((base + i) & 3) === 0) {
      i = skipPlain(words, base, i, end, SEVEN_PLAIN);
      if (i >= end) break;
    }
    const c = raw[i]!;
    if (SEVEN_BIT_OK[c]) continue;
    if (c === CR && raw[i + 1] === LF && i + 1 < end) {
      if (i - lineStart > MAX_LINE) fail('framing', lineStart, `line of ${i - lineStart} octets`);
      lineStart = ++i + 1;
      continue;
    }
    badBodyOctet(c, i, 'body-7bit', '8-bit octet in a 7bit body');
  }
  if (end - lineStart > MAX_LINE) fail('framing', lineStart, `line of ${end - lineStart} octets`);
}

/** An octet a body may not hold: NUL and bare CR/LF are framing defects, others the encoding's. */
function badBodyOctet(c: number, i: number, check: WireCheck, otherwise: string): never {
  if (c === 0) fail('framing', i, 'NUL in a body');
  if (c === CR) fail('framing', i, 'bare CR in a body');
  if (c === LF) fail('framing', i, 'bare LF in a body');
  fail(check, i, otherwise);
}

/**
 * Quoted-printable (RFC 2045 §6.7): literal octets 33–126 but "=", space and
 * tab never last on a line, "=XX" upper-case hex or "=" CRLF (soft break),
 * lines ≤ 76.
 */
function qpBody(raw: Buffer, start: number, end: number): void {
  let lineStart = start;
  const bad = (i: number, why: string): never => fail('body-quoted-printable', i, why);
  const words = wordsOf(raw);
  const base = raw.byteOffset;
  for (let i = start; i < end; i++) {
    if (((base + i) & 3) === 0) {
      i = skipPlain(words, base, i, end, QP_PLAIN);
      if (i >= end) break;
    }
    const c = raw[i]!;
    if (QP_LITERAL[c]) continue;
    if (c === 61) {
      if (HEX[raw[i + 1]!] && HEX[raw[i + 2]!] && i + 2 < end) i += 2;
      else if (raw[i + 1] !== CR || raw[i + 2] !== LF || i + 2 >= end)
        bad(i, 'broken "=" escape in a quoted-printable body');
      continue;
    }
    if (c === CR && raw[i + 1] === LF && i + 1 < end) {
      if (i - lineStart > MAX_ENCODED_BODY_LINE)
        bad(
          lineStart,
          `quoted-printable line of ${i - lineStart} characters (limit ${MAX_ENCODED_BODY_LINE})`,
        );
      const last = raw[i - 1];
      if (i > lineStart && (last === SP || last === TAB))
        bad(i - 1, 'whitespace at the end of a quoted-printable line');
      lineStart = ++i + 1;
      continue;
    }
    badBodyOctet(
      c,
      i,
      'body-quoted-printable',
      `octet 0x${c.toString(16)} in a quoted-printable body`,
    );
  }
  if (end - lineStart > MAX_ENCODED_BODY_LINE)
    bad(
      lineStart,
      `quoted-printable line of ${end - lineStart} characters (limit ${MAX_ENCODED_BODY_LINE})`,
    );
  const last = raw[end - 1];
  if (end > lineStart && (last === SP || last === TAB))
    bad(end - 1, 'whitespace at the end of a quoted-printable line');
}

/**
 * Base64 (RFC 2045 §6.8) as our encoder writes it: 76-character lines joined
 * by CRLF, the last line 4–76 characters with its padding. Every line break
 * is checked where it must be; the octets are read four at a time and the
 * CR/LF among them counted, so a stray one (or any octet outside the
 * alphabet) is caught without a second pass.
 */
function base64Body(raw: Buffer, start: number, end: number): void {
  const bad = (i: number, why: string): never => fail('body-base64', i, why);
  if (end === start) return;
  const full = Math.floor((end - start) / B64_STRIDE);
  const lastStart = start + full * B64_STRIDE;
  if (!((raw.byteOffset + start) & 1 ? fullLinesUnaligned : fullLines)(raw, start, full)) {
    const at = firstOutside(raw, start, lastStart);
    bad(
      at,
      (at - start) % B64_STRIDE < MAX_ENCODED_BODY_LINE
        ? 'octet outside the base64 alphabet'
        : `base64 line not ${MAX_ENCODED_BODY_LINE} characters`,
    );
  }
  // The last line: alphabet, then 0–2 "=", a multiple of 4 in all.
  const n = end - lastStart;
  if (n === 0 || n > MAX_ENCODED_BODY_LINE || n % 4 !== 0)
    bad(lastStart, `last base64 line of ${n} characters`);
  let pad = 0;
  if (raw[end - 1] === 61) pad = raw[end - 2] === 61 ? 2 : 1;
  for (let i = lastStart; i < end - pad; i++) {
    if (!B64[raw[i]!]) bad(i, 'octet outside the base64 alphabet');
  }
}

/** CRLF as a little-endian 16-bit word. */
const CRLF16 = CR | (LF << 8);

/**
 * `full` lines of 76 alphabet characters + CRLF from an even address: each
 * line is 39 16-bit words (78 is even, so every line starts even), read once.
 */
function fullLines(raw: Buffer, start: number, full: number): boolean {
  const u16 = new Uint16Array(raw.buffer, raw.byteOffset + start, full * 39);
  let outside = 0;
  for (let p = 0; p < u16.length; p += 39) {
    for (let k = p; k < p + 38; k++) outside |= B64_PAIR[u16[k]!]!;
    if (u16[p + 38] !== CRLF16) return false;
  }
  return outside === 0;
}

/**
 * The same from an odd address: every line break checked at its place, and
 * the octets outside the alphabet, read as 32-bit words, must be exactly
 * those CR and LF.
 */
function fullLinesUnaligned(raw: Buffer, start: number, full: number): boolean {
  for (let k = 0; k < full; k++) {
    const at = start + k * B64_STRIDE + MAX_ENCODED_BODY_LINE;
    if (raw[at] !== CR || raw[at + 1] !== LF) return false;
  }
  return countOutside(raw, start, start + full * B64_STRIDE) === 2 * full;
}

/** Octets outside the base64 alphabet in [start, end) (line breaks included). */
function countOutside(raw: Buffer, start: number, end: number): number {
  let sum = 0;
  let i = start;
  // Octets up to a 4-aligned address one by one, then 32-bit words, then the tail.
  const aligned = Math.min(end, start + ((4 - ((raw.byteOffset + start) & 3)) & 3));
  for (; i < aligned; i++) sum += B64_PAIR[raw[i]! | (65 << 8)]!;
  const words = (end - i) >> 2;
  if (words > 0) {
    const u32 = new Uint32Array(raw.buffer, raw.byteOffset + i, words);
    for (let w = 0; w < words; w++) {
      const x = u32[w]!;
      sum += B64_PAIR[x & 0xffff]! + B64_PAIR[x >>> 16]!;
    }
    i += words * 4;
  }
  for (; i < end; i++) sum += B64_PAIR[raw[i]! | (65 << 8)]!;
  return sum;
}

/** The first octet that is neither alphabet nor a line break at its place (for the message). */
function firstOutside(raw: Buffer, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const inLine = (i - start) % B64_STRIDE;
    if (
      inLine < MAX_ENCODED_BODY_LINE
        ? !B64[raw[i]!]
        : raw[i] !== (inLine === MAX_ENCODED_BODY_LINE ? CR : LF)
    )
      return i;
  }
  return start;
}
