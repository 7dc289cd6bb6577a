/**
 * The read side's charset layer (src/read/charset.ts): WHATWG label
 * resolution, iconv-lite decoding (never Node's TextDecoder, whose
 * windows-1252 maps 0x80–0x9F to C1 controls on Node ≥ 20.18.3), UTF-16
 * byte order, ISO-2022-JP, and the C1 repair.
 */
import iconvLite from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  decodeBytes,
  indexOfC1,
  replaceC1,
  resolveCharset,
  strictReading,
} from '../../src/read/charset.js';
import { decodeCharset, isKnownCharset } from '../../src/read/decode.js';
import { findEncodedWords } from '../../src/read/encoded-words.js';
import { parseParams } from '../../src/read/mime-params.js';
import { loadsPackage } from '../support/fresh-process.js';

const hex = (h: string) => Buffer.from(h.replace(/\s/g, ''), 'hex');

describe('labels resolve as the WHATWG Encoding Standard says', () => {
  it.each([
    ['ISO-8859-1', 'windows-1252'],
    ['latin1', 'windows-1252'],
    ['us-ascii', 'windows-1252'],
    ['ascii', 'windows-1252'],
    ['ansi_x3.4-1968', 'windows-1252'],
    [' Windows-1252 ', 'windows-1252'],
    ['iso-8859-9', 'windows-1254'],
    ['tis-620', 'windows-874'],
    ['ks_c_5601-1987', 'euc-kr'],
    ['gb2312', 'gbk'],
    ['x-sjis', 'shift_jis'],
    ['windows-31j', 'shift_jis'],
    ['koi8', 'koi8-r'],
    ['big5-hkscs', 'big5'],
    ['utf8', 'utf-8'],
    ['cp1251', 'windows-1251'],
  ])('%s → %s', (label, name) => {
    expect(resolveCharset(label)).toBe(name);
  });
  it('placeholders, UTF-7 and WHATWG "replacement" labels are not decodable', () => {
    for (const l of [
      'unknown-8bit',
      'x-user-defined',
      'utf-7',
      'iso-2022-kr',
      'hz-gb-2312',
      '',
      'nonsense',
    ])
      expect(isKnownCharset(l)).toBe(false);
  });
  it('a label iconv-lite knows outside the WHATWG table still decodes (cp850)', () => {
    expect(decodeBytes(hex('81'), 'cp850').text).toBe('ü');
  });
});

describe('decoding', () => {
  it('windows-1252 0x80–0x9F are € ‚ ƒ „ … (not C1 controls as Node 20 TextDecoder gives)', () => {
    const d = decodeCharset(
      hex('80 82 83 84 85 86 87 88 89 8a 8b 8c 8e 91 92 93 94 95 96 97 98 99 9a 9b 9c 9e 9f'),
      'windows-1252',
    );
    expect(d.text).toBe('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
    expect(d.valid).toBe(true);
  });
  it('iso-8859-1 and us-ascii labels read 0x80 as € (us-ascii stays invalid with 8-bit bytes)', () => {
    expect(decodeCharset(hex('3530 80'), 'iso-8859-1').text).toBe('50€');
    expect(decodeCharset(hex('80'), 'us-ascii')).toEqual({ text: '€', valid: false, known: true });
  });
  it('the five bytes windows-1252 leaves undefined become U+FFFD, never C1', () => {
    const d = decodeCharset(hex('81 8d 8f 90 9d'), 'windows-1252');
    expect(d.text).toBe('\ufffd'.repeat(5));
    expect(d.valid).toBe(false);
  });
  it('UTF-16 without a BOM is big-endian (RFC 2781 §4.3); a BOM decides', () => {
    expect(findEncodedWords('=?utf-16?b?AEEAQgBD?=')[0]!.decoded).toBe('ABC');
    expect(decodeBytes(hex('fffe 4100 4200'), 'utf-16').text).toBe('AB');
    expect(decodeBytes(hex('feff 0041 0042'), 'utf-16').text).toBe('AB');
    expect(decodeBytes(hex('4100'), 'utf-16le').text).toBe('A');
  });
  it('ISO-2022-JP: JIS X 0208, Roman and half-width katakana', () => {
    // ESC $ B あい ESC ( B x ESC ( J \ ESC ( I 1 ESC ( B
    const b = hex('1b2442 2422 2424 1b2842 78 1b284a 5c 1b2849 31 1b2842');
    expect(decodeBytes(b, 'iso-2022-jp')).toEqual({ text: 'あいx¥ｱ', valid: true, known: true });
    expect(decodeBytes(hex('1b2442 2422 0d0a'), 'iso-2022-jp').text).toBe('あ\r\n');
  });
  it('encoded-words and RFC 2231 values in legacy charsets decode through the same layer', () => {
    expect(findEncodedWords('=?iso-8859-1?q?50_=80?=')[0]!.decoded).toBe('50 €');
    expect(findEncodedWords('=?ks_c_5601-1987?b?sKE=?=')[0]!.decoded).toBe('가');
    expect(
      parseParams("attachment; filename*=windows-1251''%D1%F7%B8%F2.pdf").params.get('filename'),
    ).toBe('Счёт.pdf');
  });
});

describe('C1 controls', () => {
  it('replaceC1 reads them in the Windows sibling; undefined there → U+FFFD', () => {
    expect(replaceC1('\u0080 \u009a', 'iso-8859-2')).toBe('€ š');
    expect(replaceC1('\u0080 \u0098', 'iso-8859-5')).toBe('Ђ \ufffd');
    expect(replaceC1('\u0080\u0081', 'utf-8')).toBe('€\ufffd');
    expect(indexOfC1(replaceC1('x\u0085\u009f', 'iso-8859-15'))).toBe(-1);
  });
  it('strictReading: iso-8859-1/-9 and ASCII labels read differently by strict clients', () => {
    expect(strictReading('ISO-8859-1')).toBe('iso');
    expect(strictReading('latin5')).toBe('iso');
    expect(strictReading('us-ascii')).toBe('ascii');
    expect(strictReading('windows-1252')).toBe(null);
    expect(strictReading('cp1252')).toBe(null);
    expect(strictReading('iso-8859-2')).toBe(null);
  });
});

describe('single-byte charsets: the ASCII-run decoder equals iconv-lite byte for byte', () => {
  const ICONV: Record<string, string> = { 'x-mac-cyrillic': 'maccyrillic' };
  const SINGLE_BYTE = [
    ...['1250', '1251', '1252', '1253', '1254', '1255', '1256', '1257', '1258', '874'].map(
      (n) => `windows-${n}`,
    ),
    ...['2', '3', '4', '5', '6', '7', '8', '10', '13', '14', '15', '16'].map(
      (n) => `iso-8859-${n}`,
    ),
    'koi8-r',
    'koi8-u',
    'ibm866',
    'macintosh',
    'x-mac-cyrillic',
  ];
  // Every byte, and 8-bit bytes between ASCII runs (the decoder copies runs and looks up the rest).
  const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const mixed = Buffer.from(
    Array.from({ length: 600 }, (_, i) => (i % 3 === 0 ? 0x80 + (i % 128) : 0x41 + (i % 26))),
  );
  it.each(SINGLE_BYTE)('%s', (enc) => {
    for (const bytes of [all, mixed]) {
      expect(decodeBytes(bytes, enc).text).toBe(iconvLite.decode(bytes, ICONV[enc] ?? enc));
    }
  });
});

describe('the sendmail shim does not load iconv-lite for the usual PHP mail', () => {
  /** Runs repair() in a fresh process on a mail() body; true when it loaded iconv-lite. */
  function repairLoadsIconv(body: string, encoding: BufferEncoding): boolean {
    return loadsPackage(
      `import { repair } from './src/repair/index.ts';
      const head = 'To: erika@example.org\\nSubject: Bestellung\\nFrom: Shop <shop@example.com>\\n\\n';
      const mail = Buffer.concat([Buffer.from(head), Buffer.from(process.argv[1], '${encoding}')]);
      await repair(mail, { envelope: { from: 'bounces@example.com', to: ['erika@example.org'] } });`,
      'iconv-lite',
      [body],
    );
  }

  it('undeclared UTF-8 (read as windows-1252 by lint first) and undeclared windows-1252', () => {
    expect(repairLoadsIconv('vielen Dank für Ihre Bestellung\n', 'utf8')).toBe(false);
    expect(repairLoadsIconv('Preis 50 € – Grüße\n', 'latin1')).toBe(false);
  });
  it('(and the check above can fail: a declared KOI8-R body needs iconv-lite)', () => {
    const koi8 =
      'From: a@example.com\\nContent-Type: text/plain; charset=koi8-r\\n\\n\\xf0\\xd2\\xc9\\n';
    expect(
      loadsPackage(
        `import { lint } from './src/lint/index.ts';
        lint(Buffer.from('${koi8}', 'latin1'));`,
        'iconv-lite',
      ),
    ).toBe(true);
  });
});
