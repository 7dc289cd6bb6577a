/**
 * The one charset layer of the read side: lint, repair() and the sendmail
 * shim decode every labelled or guessed charset here.
 *
 * - Labels resolve as the WHATWG Encoding Standard's label table says
 *   (https://encoding.spec.whatwg.org/#names-and-labels): iso-8859-1, latin1,
 *   us-ascii … read as windows-1252, iso-8859-9 as windows-1254, gb2312 as
 *   gbk, ks_c_5601-1987 as euc-kr. That is how browsers, Thunderbird and
 *   webmail show legacy mail, so "iso-8859-1" text with € – „ “ ” in
 *   0x80–0x9F reads as the sender saw it.
 * - Legacy charsets decode through iconv-lite, never the platform TextDecoder
 *   (Node 20.18.3+/22.13+ decode windows-1252 0x80–0x9F to C1 controls:
 *   nodejs/node#56542, #60888). UTF-8 uses Buffer's own decoder.
 * - Deviation from WHATWG, for mail: a BOM-less "utf-16" is big-endian
 *   (RFC 2781 §4.3), not little-endian.
 * - Bytes a charset leaves undefined (windows-1252 0x81 0x8D 0x8F 0x90 0x9D)
 *   decode to U+FFFD, not to the C1 code points WHATWG maps them to: C1
 *   controls are invisible and some readers take U+0085 as a line break, so
 *   they never leave this layer for repair (see {@link replaceC1}).
 *
 * iconv-lite is loaded on the first legacy decode only (the shim's start-up
 * path never needs it for UTF-8 or ASCII mail).
 */
import { isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';

/**
 * WHATWG label → encoding name, for the encodings with more than their own
 * name as a label (encodings.json, "Legacy single-byte/multi-byte" and
 * "miscellaneous"). A label that is its encoding's name and is not listed here
 * (e.g. "windows-1250", "koi8-r") resolves through {@link ENCODINGS}.
 */
const LABELS: Readonly<Record<string, string>> = (() => {
  const groups: Record<string, string[]> = {
    'utf-8': ['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf8', 'x-unicode20utf8'],
    ibm866: ['866', 'cp866', 'csibm866'],
    'iso-8859-2': [
      'csisolatin2',
      'iso-ir-101',
      'iso8859-2',
      'iso88592',
      'iso_8859-2',
      'iso_8859-2:1987',
      'l2',
      'latin2',
    ],
    'iso-8859-3': [
      'csisolatin3',
      'iso-ir-109',
      'iso8859-3',
      'iso88593',
      'iso_8859-3',
      'iso_8859-3:1988',
      'l3',
      'latin3',
    ],
    'iso-8859-4': [
      'csisolatin4',
      'iso-ir-110',
      'iso8859-4',
      'iso88594',
      'iso_8859-4',
      'iso_8859-4:1988',
      'l4',
      'latin4',
    ],
    'iso-8859-5': [
      'csisolatincyrillic',
      'cyrillic',
      'iso-ir-144',
      'iso8859-5',
      'iso88595',
      'iso_8859-5',
      'iso_8859-5:1988',
    ],
    'iso-8859-6': [
      'arabic',
      'asmo-708',
      'csiso88596e',
      'csiso88596i',
      'csisolatinarabic',
      'ecma-114',
      'iso-8859-6-e',
      'iso-8859-6-i',
      'iso-ir-127',
      'iso8859-6',
      'iso88596',
      'iso_8859-6',
      'iso_8859-6:1987',
    ],
    'iso-8859-7': [
      'csisolatingreek',
      'ecma-118',
      'elot_928',
      'greek',
      'greek8',
      'iso-ir-126',
      'iso8859-7',
      'iso88597',
      'iso_8859-7',
      'iso_8859-7:1987',
      'sun_eu_greek',
    ],
    'iso-8859-8': [
      'csiso88598e',
      'csisolatinhebrew',
      'hebrew',
      'iso-8859-8-e',
      'iso-ir-138',
      'iso8859-8',
      'iso88598',
      'iso_8859-8',
      'iso_8859-8:1988',
      'visual',
    ],
    'iso-8859-8-i': ['csiso88598i', 'logical'],
    'iso-8859-10': ['csisolatin6', 'iso-ir-157', 'iso8859-10', 'iso885910', 'l6', 'latin6'],
    'iso-8859-13': ['iso8859-13', 'iso885913'],
    'iso-8859-14': ['iso8859-14', 'iso885914'],
    'iso-8859-15': ['csisolatin9', 'iso8859-15', 'iso885915', 'iso_8859-15', 'l9'],
    'koi8-r': ['cskoi8r', 'koi', 'koi8', 'koi8_r'],
    'koi8-u': ['koi8-ru'],
    macintosh: ['csmacintosh', 'mac', 'x-mac-roman'],
    'windows-874': ['dos-874', 'iso-8859-11', 'iso8859-11', 'iso885911', 'tis-620'],
    'windows-1250': ['cp1250', 'x-cp1250'],
    'windows-1251': ['cp1251', 'x-cp1251'],
    'windows-1252': [
      'ansi_x3.4-1968',
      'ascii',
      'cp1252',
      'cp819',
      'csisolatin1',
      'ibm819',
      'iso-8859-1',
      'iso-ir-100',
      'iso8859-1',
      'iso88591',
      'iso_8859-1',
      'iso_8859-1:1987',
      'l1',
      'latin1',
      'us-ascii',
      'x-cp1252',
    ],
    'windows-1253': ['cp1253', 'x-cp1253'],
    'windows-1254': [
      'cp1254',
      'csisolatin5',
      'iso-8859-9',
      'iso-ir-148',
      'iso8859-9',
      'iso88599',
      'iso_8859-9',
      'iso_8859-9:1989',
      'l5',
      'latin5',
      'x-cp1254',
    ],
    'windows-1255': ['cp1255', 'x-cp1255'],
    'windows-1256': ['cp1256', 'x-cp1256'],
    'windows-1257': ['cp1257', 'x-cp1257'],
    'windows-1258': ['cp1258', 'x-cp1258'],
    'x-mac-cyrillic': ['x-mac-ukrainian'],
    gbk: [
      'chinese',
      'csgb2312',
      'csiso58gb231280',
      'gb2312',
      'gb_2312',
      'gb_2312-80',
      'iso-ir-58',
      'x-gbk',
    ],
    big5: ['big5-hkscs', 'cn-big5', 'csbig5', 'x-x-big5'],
    'euc-jp': ['cseucpkdfmtjapanese', 'x-euc-jp'],
    'iso-2022-jp': ['csiso2022jp'],
    shift_jis: ['csshiftjis', 'ms_kanji', 'shift-jis', 'sjis', 'windows-31j', 'x-sjis'],
    'euc-kr': [
      'cseuckr',
      'csksc56011987',
      'iso-ir-149',
      'korean',
      'ks_c_5601-1987',
      'ks_c_5601-1989',
      'ksc5601',
      'ksc_5601',
      'windows-949',
    ],
    'utf-16be': ['unicodefffe'],
    // WHATWG reads these as utf-16le; mail follows RFC 2781 (see UTF16_BOM_OR_BE).
    'utf-16': ['csunicode', 'iso-10646-ucs-2', 'ucs-2', 'unicode', 'unicodefeff'],
  };
  const out: Record<string, string> = Object.create(null);
  for (const [name, labels] of Object.entries(groups)) {
    out[name] = name;
    for (const l of labels) out[l] = name;
  }
  return out;
})();

/**
 * WHATWG encoding name → iconv-lite codec, where they differ. WHATWG's gbk
 * decoder is the gb18030 decoder; its big5 is Big5-HKSCS; its euc-kr is
 * windows-949 (UHC). iso-2022-jp has its own decoder below.
 */
const ICONV_NAME: Readonly<Record<string, string>> = {
  gbk: 'gb18030',
  big5: 'big5hkscs',
  'euc-kr': 'cp949',
  'x-mac-cyrillic': 'maccyrillic',
};

/**
 * WHATWG's "replacement" labels (ISO-2022-KR/-CN, HZ): a script-injection
 * vector in browsers, decoded by nobody here. Placeholders and UTF-7 are
 * never real text charsets either.
 */
const NOT_DECODED = new Set([
  'csiso2022kr',
  'hz-gb-2312',
  'iso-2022-cn',
  'iso-2022-cn-ext',
  'iso-2022-kr',
  'x-user-defined',
  'default',
  'unknown',
  'unknown-8bit',
  'x-unknown',
  'utf-7',
  'unicode-1-1-utf-7',
  'csunicode11utf7',
]);

interface Iconv {
  encodingExists(e: string): boolean;
  decode(b: Buffer, e: string, o?: { stripBOM?: boolean }): string;
}
let iconv: Iconv | undefined;
function loadIconv(): Iconv {
  iconv ??= createRequire(import.meta.url)('iconv-lite') as Iconv;
  return iconv;
}

const resolved = new Map<string, string | null>();
const MAX_CACHED_LABELS = 256;

/**
 * The charset of an encoded-word without its RFC 2231 §5 language suffix
 * (`utf-8*de` → `utf-8`); indexOf, not a regex, on untrusted text.
 */
export function wordCharset(label: string): string {
  const star = label.indexOf('*');
  return star === -1 ? label : label.slice(0, star);
}

/**
 * The encoding a charset label names: the WHATWG name for WHATWG labels
 * (`'ISO-8859-1'` → `'windows-1252'`), else the lower-cased label when
 * iconv-lite knows it (`'cp850'`), else null (unknown, placeholder, UTF-7,
 * or WHATWG's "replacement").
 *
 * @example resolveCharset(' Latin1 ') // 'windows-1252'
 */
export function resolveCharset(label: string): string | null {
  const key = label.trim().toLowerCase();
  let r = resolved.get(key);
  if (r !== undefined) return r;
  r = LABELS[key] ?? null;
  if (r === null && key !== '' && !NOT_DECODED.has(key) && /^[a-z0-9._:-]+$/.test(key)) {
    try {
      if (loadIconv().encodingExists(key)) r = key;
    } catch {
      r = null;
    }
  }
  // Bounded: hostile mail cannot grow the cache with made-up labels.
  if (resolved.size < MAX_CACHED_LABELS) resolved.set(key, r);
  return r;
}

/**
 * Why `label` cannot be the legacy charset of undeclared 8-bit text, or
 * undefined when it can: it must name a decodable, ASCII-compatible legacy
 * charset (UTF-8 is always tried first anyway; UTF-16 and ISO-2022-JP cannot
 * be told from ASCII headers).
 */
export function legacyCharsetProblem(label: string): string | undefined {
  const enc = resolveCharset(label);
  if (enc === null) return 'is not a charset mailhygiene can decode';
  if (isUnicodeCharset(enc) || enc === 'iso-2022-jp')
    return `is not an ASCII-compatible legacy charset (${enc})`;
  return undefined;
}

export interface DecodedText {
  text: string;
  /** False when the bytes are not valid in the charset (they were replaced by U+FFFD). */
  valid: boolean;
  /** False when the charset label is unknown (text is then Latin-1, one char per byte). */
  known: boolean;
}

/** True for the encodings whose text is Unicode itself (no legacy repertoire). */
export function isUnicodeCharset(encoding: string): boolean {
  return encoding === 'utf-8' || encoding.startsWith('utf-16') || encoding.startsWith('utf-32');
}

/**
 * Decodes `bytes` in the encoding `charset` names ({@link resolveCharset}).
 * An unknown label gives the bytes as Latin-1 with `known: false`.
 *
 * @example decodeBytes(Buffer.from([0x80]), 'iso-8859-1').text // '€'
 */
export function decodeBytes(bytes: Uint8Array, charset: string): DecodedText {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const enc = resolveCharset(charset);
  if (enc === null) return { text: buf.toString('latin1'), valid: true, known: false };
  if (enc === 'utf-8') {
    // What the WHATWG decoder returns: a leading BOM dropped, bad sequences as U+FFFD.
    const bom = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
    return { text: buf.toString('utf8', bom ? 3 : 0), valid: isUtf8(buf), known: true };
  }
  // 7-bit text reads the same in every ASCII-compatible charset: no table needed.
  if (!enc.startsWith('utf-16') && enc !== 'iso-2022-jp' && !has8bit(buf)) {
    return { text: buf.toString('latin1'), valid: true, known: true };
  }
  let text: string;
  if (enc === 'iso-2022-jp') text = decodeIso2022Jp(buf);
  else if (enc === 'utf-16') text = loadIconv().decode(buf, utf16Endianness(buf));
  else if (SINGLE_BYTE.test(enc)) text = decodeSingleByte(buf, singleByteTable(enc));
  else text = loadIconv().decode(buf, ICONV_NAME[enc] ?? enc);
  // Every legacy table here maps undefined or malformed bytes to U+FFFD and
  // none maps a defined byte to it except the Unicode forms and GB18030.
  return { text, valid: !text.includes('\ufffd'), known: true };
}

/**
 * WHATWG's single-byte encodings (Encoding Standard §9): 0x00–0x7F are ASCII,
 * each other byte one BMP character.
 */
const SINGLE_BYTE =
  /^(?:windows-12[0-5]\d|windows-874|iso-8859-\d{1,2}|koi8-[ru]|ibm866|macintosh|x-mac-cyrillic)$/;
const singleByteTables = new Map<string, Uint16Array>();

/**
 * windows-1252 from 0x80 to 0x9F (0xA0–0xFF are Latin-1); the five bytes it
 * leaves undefined are U+FFFD as in iconv-lite's table, so they count as
 * invalid, never as C1 controls. Written out because it is what undeclared 8-bit text is read as
 * (every PHP mail() without a charset): loading iconv-lite for it cost the
 * sendmail shim about a fifth of its start-up. test/lint/charset.test.ts
 * holds it to iconv-lite's table.
 */
const WINDOWS_1252_HIGH = [
  0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039,
  0x0152, 0xfffd, 0x017d, 0xfffd, 0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
  0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178,
];

/** windows-1252 without iconv-lite: Latin-1 but for 0x80–0x9F. */
function windows1252Table(): Uint16Array {
  const table = Uint16Array.from({ length: 256 }, (_, i) => i);
  table.set(WINDOWS_1252_HIGH, 0x80);
  return table;
}

/** UTF-16 code unit of every byte (0x00–0x7F are ASCII), from iconv-lite's table, once per encoding. */
function singleByteTable(enc: string): Uint16Array {
  let table = singleByteTables.get(enc);
  if (table === undefined && enc === 'windows-1252') {
    table = windows1252Table();
    singleByteTables.set(enc, table);
  }
  if (table === undefined) {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const text = loadIconv().decode(bytes, ICONV_NAME[enc] ?? enc);
    if (text.length !== 256) throw new Error(`charset: ${enc} is not a single-byte table`);
    table = Uint16Array.from(text, (c) => c.charCodeAt(0));
    singleByteTables.set(enc, table);
  }
  return table;
}

/**
 * One table lookup per byte into a UTF-16LE buffer and one native conversion:
 * about 1.5× faster than iconv-lite's streaming decoder on small PHP mails,
 * which lint and the shim decode once each.
 */
function decodeSingleByte(buf: Buffer, table: Uint16Array): string {
  const out = Buffer.allocUnsafe(buf.length * 2);
  for (let i = 0; i < buf.length; i++) {
    const c = table[buf[i]!]!;
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >> 8;
  }
  return out.toString('utf16le');
}

/** RFC 2781 §4.3: a BOM decides; without one, UTF-16 is big-endian. */
function utf16Endianness(buf: Buffer): 'utf-16be' | 'utf-16le' {
  return buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe ? 'utf-16le' : 'utf-16be';
}

/**
 * ISO-2022-JP (RFC 1468; WHATWG's decoder, leniently): ESC ( B ASCII,
 * ESC ( J JIS X 0201 Roman, ESC ( I half-width katakana, ESC $ @ / ESC $ B
 * JIS X 0208. A JIS X 0208 pair is the EUC-JP pair without its high bits,
 * so it is decoded by iconv-lite's EUC-JP table. Controls (CR, LF, TAB)
 * pass in every state, as mail lines end in them.
 */
function decodeIso2022Jp(b: Buffer): string {
  type Mode = 'ascii' | 'roman' | 'katakana' | 'jis0208';
  let mode: Mode = 'ascii';
  let out = '';
  const n = b.length;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === 0x1b) {
      const e1 = b[i + 1];
      const e2 = b[i + 2];
      const next: Mode | undefined =
        e1 === 0x28 && e2 === 0x42
          ? 'ascii'
          : e1 === 0x28 && e2 === 0x4a
            ? 'roman'
            : e1 === 0x28 && e2 === 0x49
              ? 'katakana'
              : e1 === 0x24 && (e2 === 0x40 || e2 === 0x42)
                ? 'jis0208'
                : undefined;
      if (next === undefined) {
        out += '\ufffd';
        continue;
      }
      mode = next;
      i += 2;
      continue;
    }
    if (c >= 0x80) out += '\ufffd';
    else if (c < 0x21 || c === 0x7f || mode === 'ascii') out += String.fromCharCode(c);
    else if (mode === 'roman')
      out += c === 0x5c ? '\u00a5' : c === 0x7e ? '\u203e' : String.fromCharCode(c);
    else if (mode === 'katakana')
      out += c <= 0x5f ? String.fromCharCode(0xff61 - 0x21 + c) : '\ufffd';
    else {
      const t = b[i + 1];
      if (t === undefined || t < 0x21 || t > 0x7e) out += '\ufffd';
      else {
        out += loadIconv().decode(Buffer.from([c | 0x80, t | 0x80]), 'euc-jp');
        i++;
      }
    }
  }
  return out;
}

/**
 * The Windows code page whose 0x80–0x9F fill the C1 gap of an ISO 8859
 * charset: text declared iso-8859-2 with bytes there was written in
 * windows-1250, and so on. Anything else (UTF-8 holding C1 code points,
 * iso-8859-15 …) is taken for windows-1252, by far the most common source.
 */
const WINDOWS_SIBLING: Readonly<Record<string, string>> = {
  'iso-8859-2': 'windows-1250',
  'iso-8859-4': 'windows-1257',
  'iso-8859-5': 'windows-1251',
  'iso-8859-6': 'windows-1256',
  'iso-8859-7': 'windows-1253',
  'iso-8859-8': 'windows-1255',
  'iso-8859-8-i': 'windows-1255',
  'iso-8859-13': 'windows-1257',
};

/** The charset the bytes 0x80–0x9F of text declared `encoding` really are in. */
export function c1Sibling(encoding: string): string {
  return WINDOWS_SIBLING[encoding] ?? 'windows-1252';
}

/**
 * How a strict (IANA) reader takes a label WHATWG reads as a Windows code
 * page: `'ascii'` for US-ASCII labels (8-bit bytes are invalid), `'iso'` for
 * ISO 8859-1/-9/-11 labels (0x80–0x9F are C1 controls); null for labels
 * both read alike. Text in such a label with those bytes reads differently
 * in a browser and in a strict client such as Python's email package.
 */
export function strictReading(label: string): 'ascii' | 'iso' | null {
  const key = label.trim().toLowerCase();
  const enc = LABELS[key];
  if (enc !== 'windows-1252' && enc !== 'windows-1254' && enc !== 'windows-874') return null;
  if (/^(windows-|x-cp|cp1|dos-)/.test(key)) return null;
  return key === 'us-ascii' || key === 'ascii' || key === 'ansi_x3.4-1968' ? 'ascii' : 'iso';
}

/** Index of the first byte a strict reader of a {@link strictReading} label does not take as text, or -1. */
export function indexOfStrictMismatch(bytes: Uint8Array, reading: 'ascii' | 'iso'): number {
  const hi = reading === 'ascii' ? 0xff : 0x9f;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b >= 0x80 && b <= hi) return i;
  }
  return -1;
}

/** Index of the first C1 control (U+0080–U+009F) in `s`, or -1. */
export function indexOfC1(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 && c <= 0x9f) return i;
  }
  return -1;
}

/**
 * Replaces each C1 control U+0080+k in text decoded from `encoding` by what
 * byte 0x80+k is in its Windows sibling ({@link c1Sibling}): "declared
 * iso-8859-2, but the bytes are windows-1250". A byte the sibling leaves
 * undefined becomes U+FFFD, so no C1 control survives.
 *
 * @example replaceC1('50 \u0080', 'iso-8859-2') // '50 €'
 */
export function replaceC1(text: string, encoding: string): string {
  if (indexOfC1(text) === -1) return text;
  const table = decodeBytes(C1_BYTES, c1Sibling(encoding)).text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += c >= 0x80 && c <= 0x9f ? table[c - 0x80] : text[i];
  }
  return out;
}

/** True when any octet in [start, end) is ≥ 0x80. */
export function has8bit(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
  for (let i = start; i < end; i++) if (bytes[i]! >= 0x80) return true;
  return false;
}

const C1_BYTES = Uint8Array.from({ length: 32 }, (_, k) => 0x80 + k);
