import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { bodyHash, createBodyHasher } from '../../src/compose/dkim/body-hash.js';
import {
  canonicalizeHeaderRelaxed,
  parseHeaderBlock,
} from '../../src/compose/dkim/canonicalize.js';
import { dkimSign } from '../../src/compose/dkim/sign.js';
import { ed25519Key, verify } from './helpers.js';

/** Body lines from a small alphabet that makes whitespace and empty-line rules matter. */
const bodyArb = fc
  .array(fc.stringMatching(/^[a \t.=-]{0,12}$/), { maxLength: 12 })
  .chain((lines) =>
    fc
      .boolean()
      .map((finalCrlf) => lines.join('\r\n') + (finalCrlf && lines.length > 0 ? '\r\n' : '')),
  );

function chunked(body: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (body.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(body.slice(prev, p));
    prev = p;
  }
  out.push(body.slice(prev));
  return out;
}

describe('incremental body hash', () => {
  for (const c of ['relaxed', 'simple'] as const) {
    test(`${c}: any chunking gives the one-shot hash`, () => {
      fc.assert(
        fc.property(bodyArb, fc.array(fc.nat(), { maxLength: 8 }), (body, cuts) => {
          const h = createBodyHasher(c);
          for (const part of chunked(body, cuts)) h.update(Buffer.from(part, 'latin1'));
          expect(h.digest()).toBe(bodyHash(body, c));
        }),
        { numRuns: 500 },
      );
    });
  }

  test('a CRLF split across chunks and trailing empty lines across chunks', () => {
    const h = createBodyHasher('relaxed');
    for (const part of ['a  b \r', '\n\r', '\n', '\r\n \t\r\n', 'c\r\n\r\n', '\r\n'])
      h.update(part);
    expect(h.digest()).toBe(bodyHash('a b\r\n\r\n\r\n\r\nc\r\n'));
  });

  test('empty bodies: relaxed hashes nothing, simple hashes one CRLF (RFC 6376 §3.4.3/§3.4.4)', () => {
    expect(bodyHash('', 'relaxed')).toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
    expect(bodyHash('\r\n\r\n', 'relaxed')).toBe('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
    // sha256("\r\n") — the well-known empty-body hash of simple canonicalization
    expect(bodyHash('', 'simple')).toBe('frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=');
  });

  // Bodies end in CRLF here, as the composer always writes them. mailauth 4.9.5
  // mis-hashes an unterminated last line that carries trailing whitespace after
  // earlier lines (".\r\nx \t " → neither RFC reading), so that shape is checked
  // against the RFC 6376 §3.4.4 text directly below instead.
  test('mailauth accepts signatures over random bodies (independent body canonicalization)', async () => {
    const key = ed25519Key();
    await fc.assert(
      fc.asyncProperty(bodyArb, async (generated) => {
        const body =
          generated === '' || generated.endsWith('\r\n') ? generated : `${generated}\r\n`;
        const raw = Buffer.from(`From: a@example.com\r\nSubject: t\r\n\r\n${body}`, 'latin1');
        const signed = dkimSign(raw, {
          domainName: 'example.com',
          keySelector: 's',
          privateKey: key.privatePem,
        });
        const [r] = await verify(signed, { 's._domainkey.example.com': key.txt });
        expect(r?.status.result).toBe('pass');
      }),
      { numRuns: 60 },
    );
  });
});

describe('relaxed header canonicalization (RFC 6376 §3.4.2)', () => {
  test('the RFC example', () => {
    // RFC 6376 §3.4.6: "A: X" / "B : Y\t\r\n\tZ  " → "a:X" / "b:Y Z"
    const fields = parseHeaderBlock('A: X\r\nB : Y\t\r\n\tZ  \r\n');
    expect(fields.map((f) => canonicalizeHeaderRelaxed(f.raw))).toEqual(['a:X\r\n', 'b:Y Z\r\n']);
  });

  test('an unterminated last line loses trailing WSP and gains CRLF (§3.4.4 a, b)', () => {
    const expected = createHash('sha256').update('.\r\n a\r\n .-.\r\n').digest('base64');
    expect(bodyHash('.\r\n a\r\n .-. \t ', 'relaxed')).toBe(expected);
  });

  test('the RFC example body', () => {
    // RFC 6376 §3.4.6 body " C \r\nD \t E\r\n\r\n\r\n" → " C\r\nD E\r\n"
    const expected = createHash('sha256').update(' C\r\nD E\r\n').digest('base64');
    expect(bodyHash(' C \r\nD \t E\r\n\r\n\r\n', 'relaxed')).toBe(expected);
  });
});
