// The lint decoder's quoted-printable path: decoding plus the well-formedness
// verdict that lets encoded-line-syntax skip its own scan of clean bodies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkQuotedPrintable } from '../../src/lint/rules/mime.js';
import { decodeQuotedPrintable, decodeQuotedPrintableChecked } from '../../src/read/decode.js';

const qp = (s: string) => decodeQuotedPrintableChecked(Buffer.from(s, 'latin1'));

describe('decodeQuotedPrintableChecked', () => {
  it('decodes escapes and soft breaks; a clean body is well-formed', () => {
    const r = qp('Gr=C3=BC=C3=9Fe, lange Zei=\r\nle=3D\r\nEnde');
    expect(r.bytes.toString('utf8')).toBe('Grüße, lange Zeile=\r\nEnde');
    expect(r.wellFormed).toBe(true);
    expect(qp('soft break at the end=').wellFormed).toBe(true);
    expect(qp('bare LF soft break=\nx').wellFormed).toBe(true);
  });

  it('is not well-formed for each problem checkQuotedPrintable reports', () => {
    expect(qp('lower =c3=a4').wellFormed).toBe(false);
    expect(qp('bad =ZZ escape').wellFormed).toBe(false);
    expect(qp('cut =A').wellFormed).toBe(false);
    expect(qp('trailing space \r\nx').wellFormed).toBe(false);
    expect(qp('trailing tab\t').wellFormed).toBe(false);
    expect(qp('space after soft break= \r\nx').wellFormed).toBe(false);
    expect(qp('equals before a bare CR=\rx').wellFormed).toBe(false);
    expect(qp('x=\r').wellFormed).toBe(false);
  });

  it('decodes like decodeQuotedPrintable and agrees with checkQuotedPrintable (all but line length)', () => {
    const piece = fc.constantFrom(
      '=',
      'A',
      '3',
      'F',
      'd',
      ' ',
      '\t',
      '\r',
      '\n',
      '\r\n',
      'x',
      '\xc3',
      '=3D',
      '=C3=A4',
      '=c3',
      '=\r\n',
      '= \r\n',
      '=\n',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const bytes = Buffer.from(pieces.join(''), 'latin1');
        const r = decodeQuotedPrintableChecked(bytes);
        expect(r.bytes).toEqual(decodeQuotedPrintable(bytes));
        const problems = checkQuotedPrintable(bytes).filter(
          (p) => !p.startsWith('an encoded line is'),
        );
        expect(r.wellFormed).toBe(problems.length === 0);
      }),
      { numRuns: 3000 },
    );
  });

  it('bodies decoded one after another never share bytes (they are cut from one slab)', () => {
    const kept: Array<[Buffer, string]> = [];
    for (let i = 0; i < 400; i++) {
      const text = `${String(i).padStart(4, '0')}:${'x'.repeat((i * 37) % 3000)}=C3=A4`;
      const decoded = qp(text).bytes;
      kept.push([decoded, Buffer.from(text.replace('=C3=A4', 'ä'), 'utf8').toString('hex')]);
    }
    for (const [decoded, hex] of kept) expect(decoded.toString('hex')).toBe(hex);
  });
});
