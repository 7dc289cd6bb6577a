// scanQuotedPrintable answers "is the decoded body ASCII / valid UTF-8"
// and the well-formedness verdict without decoding; decodeQuotedPrintableHead
// decodes only a prefix. Both must agree with full decoding on every input.
import { isAscii, isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeQuotedPrintable,
  decodeQuotedPrintableChecked,
  decodeQuotedPrintableHead,
} from '../../src/lint/decode.js';
import { lint } from '../../src/lint/index.js';
import { scanQuotedPrintable } from '../../src/lint/qp-scan.js';

const bin = (s: string) => Buffer.from(s, 'latin1');
const scan = (s: string) => scanQuotedPrintable(bin(s));

/** What the scan must equal: the verdicts taken from the full decoding. */
function expected(bytes: Buffer) {
  const d = decodeQuotedPrintableChecked(bytes);
  return {
    wellFormed: d.wellFormed,
    ascii: isAscii(d.bytes),
    utf8: isUtf8(d.bytes),
  };
}

/** UTF-8 forms worth splitting across escapes and soft breaks: valid ones, then invalid ones. */
const SEQUENCES = [
  [0xc3, 0xa9],
  [0xe2, 0x82, 0xac],
  [0xf0, 0x9f, 0x98, 0x80],
  [0xf4, 0x8f, 0xbf, 0xbf],
  [0xed, 0x9f, 0xbf], // U+D7FF, just below the surrogates
  [0xc0, 0x80], // overlong NUL
  [0xe0, 0x9f, 0xbf], // overlong
  [0xf0, 0x8f, 0xbf, 0xbf], // overlong
  [0xed, 0xa0, 0x80], // surrogate U+D800
  [0xed, 0xbf, 0xbf], // surrogate U+DFFF
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  [0xf5, 0x80, 0x80, 0x80],
  [0x80],
  [0xc2], // truncated
  [0xe1, 0x80], // truncated
];

/** A QP body built from pieces: UTF-8 sequences as escapes or literal octets, soft breaks inside them, stray syntax. */
const qpBody = fc
  .array(
    fc.oneof(
      fc
        .record({
          seq: fc.constantFrom(...SEQUENCES),
          literal: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
          lower: fc.boolean(),
          softBreakAfter: fc.integer({ min: -1, max: 3 }),
          cut: fc.integer({ min: 1, max: 4 }),
        })
        .map(({ seq, literal, lower, softBreakAfter, cut }) =>
          seq
            .slice(0, Math.max(1, Math.min(cut + 2, seq.length)))
            .map((o, k) => {
              const hex = o.toString(16).padStart(2, '0');
              const octet = literal[k]
                ? String.fromCharCode(o)
                : `=${lower ? hex : hex.toUpperCase()}`;
              return k === softBreakAfter ? `${octet}=\r\n` : octet;
            })
            .join(''),
        ),
      fc.integer({ min: 0, max: 255 }).map((o) => `=${o.toString(16).padStart(2, '0')}`),
      fc.constantFrom('=', '=\r\n', '= \n', '=\n', '=\r', '\r\n', '\n', '\r', ' ', '\t', 'a'),
      fc.constantFrom('<', '=3C', '=3c', '=3D', '=ZZ', '=A', '\xff'),
    ),
    { maxLength: 30 },
  )
  .map((pieces) => bin(pieces.join('')));

describe('scanQuotedPrintable', () => {
  it('judges escaped UTF-8, also split by soft line breaks', () => {
    expect(scan('Gr=C3=BC=\r\n=C3=9Fe <b>')).toEqual({
      wellFormed: true,
      ascii: false,
      utf8: true,
    });
    expect(scan('plain ascii =3D <')).toEqual({ wellFormed: true, ascii: true, utf8: true });
    expect(scan('lower =c3=a9')).toEqual({ wellFormed: false, ascii: false, utf8: true });
  });

  it('rejects what strict UTF-8 rejects', () => {
    expect(scan('caf=E9').utf8).toBe(false); // Latin-1 é
    expect(scan('=C0=80').utf8).toBe(false); // overlong
    expect(scan('=E0=9F=BF').utf8).toBe(false); // overlong
    expect(scan('=ED=A0=80').utf8).toBe(false); // surrogate
    expect(scan('=F4=90=80=80').utf8).toBe(false); // above U+10FFFF
    expect(scan('=E2=82').utf8).toBe(false); // truncated at the end
    expect(scan('=E2=82=\r\n').utf8).toBe(false); // truncated before a final soft break
    expect(scan('=E2=82\r\n=AC').utf8).toBe(false); // a hard line break interrupts it
    expect(scan('=E2=82=\r\n=AC').utf8).toBe(true); // a soft one does not
    expect(scan('=ED=9F=BF').utf8).toBe(true); // U+D7FF
  });

  it('gives the verdicts of decoding the body, on random bodies', () => {
    fc.assert(
      fc.property(qpBody, (bytes) => {
        expect(scanQuotedPrintable(bytes)).toEqual(expected(bytes));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('decodeQuotedPrintableHead', () => {
  it('is the prefix of the full decoding, however the lines fall', () => {
    fc.assert(
      fc.property(qpBody, fc.integer({ min: 0, max: 80 }), (bytes, max) => {
        const full = decodeQuotedPrintable(bytes);
        expect(decodeQuotedPrintableHead(bytes, max)).toEqual(
          full.subarray(0, Math.min(max, full.length)),
        );
      }),
      { numRuns: 3000 },
    );
  });

  it('moves past lines that decode to nothing', () => {
    const body = bin(`${'=\r\n'.repeat(3000)}<meta charset=3D"utf-8">`);
    expect(decodeQuotedPrintableHead(body, 10).toString('latin1')).toBe('<meta char');
  });
});

describe('charset-mismatch on quoted-printable parts (large HTML is scanned, not decoded)', () => {
  const message = (ct: string, body: string) =>
    bin(
      `From: a@example.com\r\nTo: b@example.org\r\nSubject: x\r\nDate: Sun, 29 Nov 2026 12:00:00 +0000\r\nMessage-ID: <1@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: ${ct}\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${body}\r\n`,
    );
  const findings = (ct: string, body: string) => {
    const raw = message(ct, body);
    const scanned = lint(raw, { rules: ['charset-mismatch'] }).findings;
    // All rules decode the body instead: the same charset-mismatch findings.
    const decoded = lint(raw).findings.filter((f) => f.rule === 'charset-mismatch');
    expect(scanned).toEqual(decoded);
    return scanned.map((f) => f.severity);
  };
  /** Over 20 KiB of encoded text, so the scanning path is taken. */
  const filler = `${'x'.repeat(70)}=\r\n`.repeat(300);

  it('reports invalid UTF-8 and 8-bit us-ascii, not valid UTF-8', () => {
    const html = 'text/html; charset=utf-8';
    expect(findings(html, `${filler}Gr=C3=BC=\r\n=C3=9Fe`)).toEqual([]);
    expect(findings(html, `${filler}caf=E9`)).toEqual(['error']);
    expect(findings(html, `caf=E9${filler}`)).toEqual(['error']);
    expect(findings(html, `${filler}=E2=82`)).toEqual(['error']);
    expect(findings('text/html; charset=us-ascii', `${filler}caf=C3=A9`)).toEqual(['error']);
    expect(findings('text/plain; charset=utf-8', `${filler}caf=E9`)).toEqual(['error']);
  });

  it('finds a <meta charset> in the first 4 KiB of the decoded HTML only', () => {
    const meta = '<meta http-equiv=3D"Content-Type" content=3D"text/html; charset=3Diso-8859-1">';
    const html = 'text/html; charset=utf-8';
    expect(findings(html, `=\r\n${meta}${filler}`)).toEqual(['info']);
    // Soft breaks decode to nothing: the meta is still within the first 4 KiB.
    expect(findings(html, `${'=\r\n'.repeat(3000)}${meta}${filler}`)).toEqual(['info']);
    expect(findings(html, `${filler}${meta}`)).toEqual([]);
    // At the 4 KiB edge: "charset=iso-" still inside, or "charset=" cut off.
    const ys = (k: number) =>
      `${'y'.repeat(70)}=\r\n`.repeat(Math.floor(k / 70)) + `${'y'.repeat(k % 70)}=\r\n`;
    expect(findings(html, `${ys(4096 - 65)}${meta}${filler}`)).toEqual(['info']);
    expect(findings(html, `${ys(4096 - 50)}${meta}${filler}`)).toEqual([]);
  });
});
