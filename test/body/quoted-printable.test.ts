/**
 * The string-based quoted-printable pass (src/wire/body/quoted-printable.ts) and the
 * CTE choice built on it (src/wire/body/cte.ts) against a plain byte-at-a-time
 * reference: the encoder and scan that worked on the UTF-8 bytes of the
 * CRLF-normalised text before. Output bytes and every reported fact must be
 * the same.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Length, encodeBase64 } from '../../src/wire/body/base64.js';
import { encodeText, encodeTextInput } from '../../src/wire/body/cte.js';
import { encodeQuotedPrintable } from '../../src/wire/body/quoted-printable.js';
import { checkedText, toCrlf } from '../../src/wire/body/text.js';
import type { MailHygieneError } from '../../src/wire/errors.js';
import { PIECES } from '../support/unicode.js';

/** Reference QP over bytes with CRLF line ends (RFC 2045 §6.7 plus our position rules). */
function referenceQp(input: Uint8Array): Buffer {
  const out: number[] = [];
  const hex = (b: number) => '0123456789ABCDEF'.charCodeAt(b);
  let col = 0;
  for (let i = 0; i < input.length; i++) {
    const b = input[i]!;
    if (b === 13 && input[i + 1] === 10) {
      out.push(13, 10);
      col = 0;
      i++;
      continue;
    }
    const printable = (b >= 33 && b <= 126 && b !== 61) || b === 32 || b === 9;
    let literal = printable;
    if (b === 32 || b === 9) {
      const next = input[i + 1];
      if (next === undefined || (next === 13 && input[i + 2] === 10)) literal = false;
    } else if (
      col === 0 &&
      b === 70 &&
      Buffer.from(input.subarray(i, i + 5)).toString() === 'From '
    ) {
      literal = false;
    } else if (col === 0 && b === 46) {
      literal = false;
    }
    const len = literal ? 1 : 3;
    if (col + len > 75) {
      out.push(61, 13, 10);
      col = 0;
    }
    if (literal) out.push(b);
    else out.push(61, hex(b >> 4), hex(b & 15));
    col += len;
  }
  return Buffer.from(out);
}

/** Reference scan over the same bytes: 7bit-safety and the QP size estimate. */
function referenceScan(body: Uint8Array): { safe7bit: boolean; qpEstimate: number } {
  let safe7bit = true;
  let qpEstimate = 0;
  let lineQp = 0;
  let col = 0;
  const endLine = () => {
    if (lineQp > 76) qpEstimate += 3 * Math.floor((lineQp - 1) / 75);
    qpEstimate += lineQp;
    lineQp = 0;
    col = 0;
  };
  for (let i = 0; i < body.length; i++) {
    const b = body[i]!;
    if (b === 13 && body[i + 1] === 10) {
      const prev = i > 0 ? body[i - 1] : undefined;
      if (prev === 32 || prev === 9) safe7bit = false;
      endLine();
      qpEstimate += 2;
      i++;
      continue;
    }
    if (b > 126 || (b < 32 && b !== 9)) {
      safe7bit = false;
      lineQp += 3;
    } else {
      lineQp += b === 61 ? 3 : 1;
      const rest = Buffer.from(body.subarray(i, i + 5)).toString('latin1');
      if (col === 0 && (b === 46 || rest === 'From ')) safe7bit = false;
    }
    if (++col > 78) safe7bit = false;
  }
  endLine();
  const last = body[body.length - 1];
  if (last === 32 || last === 9) safe7bit = false;
  return { safe7bit, qpEstimate };
}

function referenceText(text: string) {
  const bytes = Buffer.from(toCrlf(text), 'utf8');
  const scan = referenceScan(bytes);
  const cte = scan.safe7bit
    ? '7bit'
    : scan.qpEstimate <= base64Length(bytes.length)
      ? 'quoted-printable'
      : 'base64';
  const encoded =
    cte === '7bit' ? bytes : cte === 'base64' ? encodeBase64(bytes) : referenceQp(bytes);
  return { bytes, scan, cte, encoded };
}

const EXTRA = [
  'From ',
  'From',
  '.',
  ' ',
  '\t',
  '=',
  '\r',
  '\n',
  '\r\n',
  '\n\r',
  'x'.repeat(74),
  'a'.repeat(77),
  'ü',
  '€',
  '😀',
  '中文',
  '\x01',
  '\x7f',
];
const text = fc.oneof(
  fc.array(fc.constantFrom(...PIECES, ...EXTRA), { maxLength: 120 }).map((a) => a.join('')),
  fc.string({ maxLength: 400 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc
    .array(fc.constantFrom('a', 'b', ' ', '.', 'F', 'From ', '\n', '='), { maxLength: 300 })
    .map((a) => a.join('')),
);

describe('quoted-printable from the string', () => {
  it('writes what the byte reference writes, and reports the same facts', () => {
    fc.assert(
      fc.property(text, (t) => {
        const ref = referenceText(t);
        const qp = encodeQuotedPrintable(t);
        expect(qp.bytes.toString('latin1')).toBe(referenceQp(ref.bytes).toString('latin1'));
        expect(qp.utf8Length).toBe(ref.bytes.length);
        expect(qp.safe7bit).toBe(ref.scan.safe7bit);
        expect(qp.qpEstimate).toBe(ref.scan.qpEstimate);
      }),
      { numRuns: 3000 },
    );
  });

  it('chooses and encodes the CTE the byte reference chooses', () => {
    fc.assert(
      fc.property(text, (t) => {
        const ref = referenceText(t);
        const got = encodeText(t);
        expect(got.cte).toBe(ref.cte);
        expect(got.bytes.toString('latin1')).toBe(ref.encoded.toString('latin1'));
      }),
      { numRuns: 3000 },
    );
  });

  it('encodes position-dependent characters only where they are at risk', () => {
    const qp = (t: string) => encodeQuotedPrintable(t).bytes.toString();
    expect(qp('Grüße')).toBe('Gr=C3=BC=C3=9Fe');
    expect(qp('From me\nFrom you')).toBe('=46rom me\r\n=46rom you');
    expect(qp('a From b')).toBe('a From b');
    expect(qp('.\n..x')).toBe('=2E\r\n=2E.x');
    expect(qp('end \nend\t\r\nlast ')).toBe('end=20\r\nend=09\r\nlast=20');
    expect(qp('a\rb\r\nc\n')).toBe('a\r\nb\r\nc\r\n');
    expect(qp('1+1=2')).toBe('1+1=3D2');
  });

  it('keeps lines at 76 and may split a character between soft breaks', () => {
    const out = encodeQuotedPrintable(`${'x'.repeat(73)}😀`).bytes.toString();
    expect(out).toBe(`${'x'.repeat(73)}=\r\n=F0=9F=98=80`);
    const long = encodeQuotedPrintable('ä'.repeat(200)).bytes.toString();
    for (const line of long.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    expect(long.split('\r\n')[0]).toBe(`${'=C3=A4'.repeat(12)}=C3=`);
  });

  it('handles text larger than its scratch buffers', () => {
    const big = `${'Grüße aus Köln, '.repeat(40_000)}\n${'🎉'.repeat(70_000)}`;
    const ref = referenceText(big);
    const qp = encodeQuotedPrintable(big);
    expect(qp.bytes.equals(referenceQp(ref.bytes))).toBe(true);
    expect(qp.utf8Length).toBe(ref.bytes.length);
    // The scratch is reused: a small text afterwards is still exact.
    expect(encodeQuotedPrintable('Grüße').bytes.toString()).toBe('Gr=C3=BC=C3=9Fe');
  });
});

describe('CTE choice', () => {
  it('7bit for short ASCII lines, with CRLF line ends', () => {
    expect(encodeText('Hello\nworld')).toEqual({
      cte: '7bit',
      bytes: Buffer.from('Hello\r\nworld'),
    });
  });

  it('7bit text whose QP would differ ("=" or a 77-character line) goes out unchanged', () => {
    for (const t of ['a=b\nc', `${'y'.repeat(77)}\nz`, `${'y'.repeat(78)}`]) {
      const got = encodeText(t);
      expect(got.cte).toBe('7bit');
      expect(got.bytes.toString()).toBe(toCrlf(t));
    }
  });

  it('quoted-printable for mostly-Latin text, base64 for mostly non-Latin text', () => {
    expect(encodeText('Viele Grüße aus Köln, bis bald und schöne Feiertage!').cte).toBe(
      'quoted-printable',
    );
    expect(encodeText('x'.repeat(79)).cte).toBe('quoted-printable');
    const cjk = encodeText('中文的文本\n'.repeat(10));
    expect(cjk.cte).toBe('base64');
    expect(Buffer.from(cjk.bytes.toString(), 'base64').toString()).toBe(
      '中文的文本\r\n'.repeat(10),
    );
  });

  it('an empty text is an empty 7bit body', () => {
    expect(encodeText('')).toEqual({ cte: '7bit', bytes: Buffer.alloc(0) });
  });
});

describe('text input checked by the encoding pass', () => {
  const outcome = (f: () => unknown) => {
    try {
      return { ok: f() };
    } catch (e) {
      const err = e as MailHygieneError;
      return { code: err.code, message: err.message, field: err.field, codePoint: err.codePoint };
    }
  };
  const input = fc.oneof(
    text,
    fc.uint8Array({ maxLength: 60 }).map((u) => Buffer.from(u)),
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.constantFrom(42, null, '\0\ud800', '\ud800\0', 'a\udc00b', 'x\0'),
  );

  it('refuses exactly what checkedText refuses, with the same error, and encodes the rest alike', () => {
    fc.assert(
      fc.property(input, (v) => {
        const got = outcome(() => encodeTextInput(v, 'html'));
        const want = outcome(() => {
          const t = checkedText(v, 'html');
          return { text: t, body: encodeText(t) };
        });
        expect(got).toEqual(want);
      }),
      { numRuns: 3000 },
    );
  });

  it('reports NUL and unpaired surrogates, NUL first', () => {
    expect(encodeQuotedPrintable('a\0b')).toMatchObject({ nul: true, unpairedSurrogate: false });
    expect(encodeQuotedPrintable('a\udc00b')).toMatchObject({
      nul: false,
      unpairedSurrogate: true,
    });
    expect(encodeQuotedPrintable('😀')).toMatchObject({ nul: false, unpairedSurrogate: false });
    expect(outcome(() => encodeTextInput('\ud800 and \0', 'text'))).toMatchObject({
      code: 'INVALID_BODY',
      field: 'text',
      codePoint: 0,
    });
  });
});
