// Issue 17: the wire verifier (the default self-check) catches each defect
// class it claims. Each case renders a real message, corrupts its exact bytes
// in one way, and expects that class; the uncorrupted bytes pass.
import { describe, expect, it } from 'vitest';
import { buildMessage } from '../../src/compose/build.js';
import { compose } from '../../src/compose/compose.js';
import { strict } from '../../src/compose/policy.js';
import { selfCheck } from '../../src/compose/self-check.js';
import type { MessageInput } from '../../src/compose/types.js';
import {
  chunksToBufferSync,
  MailHygieneError,
  renderChunks,
  verifyWire,
  type WireCheck,
  type WireShape,
  wireShape,
} from '../../src/wire/index.js';

const now = () => new Date('2026-01-05T10:00:00Z');
const policy = { ...strict, now };

/** 7bit text, quoted-printable HTML, a base64 attachment, an encoded Subject. */
const input: MessageInput = {
  from: 'Shop <shop@example.com>',
  to: ['Erika Mustermann <erika@example.org>', 'bob@example.org'],
  subject: 'Grüße aus Köln 🎉',
  text: 'Hello Erika,\n\nyour order is on its way.\n',
  html: '<p>Grüße aus <b>Köln</b>, liebe Erika. Ihre Bestellung ist unterwegs.</p>',
  attachments: [{ filename: 'invoice.pdf', content: Buffer.alloc(500, 7) }],
};

function render(i: MessageInput = input): { raw: string; shape: WireShape } {
  const built = buildMessage(i, policy);
  const raw = chunksToBufferSync(renderChunks(built.root, built.headers));
  return { raw: raw.toString('latin1'), shape: wireShape(built.root, built.headers) };
}

function check(raw: string, shape: WireShape, smtputf8 = false) {
  return verifyWire(Buffer.from(raw, 'latin1'), shape, { smtputf8 });
}

/** Replaces the first occurrence of `from`, which must exist. */
function corrupt(raw: string, from: string | RegExp, to: string): string {
  const out = raw.replace(from, to);
  expect(out).not.toBe(raw);
  return out;
}

const boundaryOf = (raw: string, n = 0) => [...raw.matchAll(/boundary="([^"]+)"/g)][n]![1]!;

describe('verifyWire: the rendered message passes', () => {
  it('passes the bytes the renderer wrote', () => {
    const { raw, shape } = render();
    expect(raw).toMatch(/Content-Transfer-Encoding: 7bit/);
    expect(raw).toMatch(/Content-Transfer-Encoding: quoted-printable/);
    expect(raw).toMatch(/Content-Transfer-Encoding: base64/);
    expect(raw).toMatch(/=\?UTF-8\?/);
    expect(check(raw, shape)).toBeUndefined();
  });

  it('passes a single-part message (no multipart)', () => {
    const { raw, shape } = render({ ...input, html: undefined, attachments: undefined });
    expect(shape.kind).toBe('leaf');
    expect(check(raw, shape)).toBeUndefined();
  });
});

describe('verifyWire: each defect class', () => {
  const { raw, shape } = render();
  const cases: Array<[string, () => string, WireCheck, RegExp]> = [
    [
      'bare LF in a 7bit body',
      () => corrupt(raw, 'Hello Erika,\r\n', 'Hello Erika,\n'),
      'framing',
      /bare LF/,
    ],
    [
      'bare CR in a 7bit body',
      () => corrupt(raw, 'Hello Erika,\r\n', 'Hello Erika,\r'),
      'framing',
      /bare CR/,
    ],
    [
      'bare LF in a header',
      () => corrupt(raw, 'MIME-Version: 1.0\r\n', 'MIME-Version: 1.0\n'),
      'framing',
      /bare LF/,
    ],
    ['bare LF in a QP body', () => corrupt(raw, 'ist u=\r\n', 'ist\nu=\r\n'), 'framing', /bare LF/],
    [
      'soft break with a bare LF',
      () => corrupt(raw, 'u=\r\nn', 'u=\nn'),
      'body-quoted-printable',
      /broken "=" escape/,
    ],
    ['NUL in a body', () => corrupt(raw, 'your order', 'your\0order'), 'framing', /NUL/],
    [
      'NUL in a header',
      () => corrupt(raw, 'MIME-Version: 1.0', 'MIME-Version: 1\x000'),
      'header-line',
      /NUL/,
    ],
    [
      '999-octet body line',
      () => corrupt(raw, 'your order', `your ${'x'.repeat(999)} order`),
      'framing',
      /line of 10\d\d octets/,
    ],
    [
      '999-octet header line',
      () => corrupt(raw, 'MIME-Version: 1.0', `MIME-Version: ${'1'.repeat(985)}`),
      'framing',
      /header line of 999 octets/,
    ],
    [
      '8-bit header octet',
      () => corrupt(raw, 'Shop <shop', 'Sh\xf6p <shop'),
      'header-line',
      /8-bit octet in a header line/,
    ],
    [
      '8-bit octet in a 7bit body',
      () => corrupt(raw, 'your order', 'your \xe9rder'),
      'body-7bit',
      /8-bit/,
    ],
    [
      'extra header field (injection)',
      () => corrupt(raw, 'MIME-Version: 1.0\r\n', 'MIME-Version: 1.0\r\nBcc: eve@example.net\r\n'),
      'header-fields',
      /header field \d+ is Bcc, expected Content-Type/,
    ],
    [
      'injected field in the middle',
      () => corrupt(raw, /Message-ID:/, 'Bcc: eve@example.net\r\nMessage-ID:'),
      'header-fields',
      /header field \d+ is Bcc, expected Message-ID/,
    ],
    [
      'missing header field',
      () => corrupt(raw, 'MIME-Version: 1.0\r\n', ''),
      'header-fields',
      /MIME-Version/,
    ],
    [
      'duplicate header field',
      () => corrupt(raw, 'MIME-Version: 1.0\r\n', 'MIME-Version: 1.0\r\nMIME-Version: 1.0\r\n'),
      'header-fields',
      /header field \d+ is MIME-Version, expected Content-Type/,
    ],
    [
      'missing field in a part',
      () => corrupt(raw, 'Content-Transfer-Encoding: 7bit\r\n', ''),
      'header-fields',
      /missing header field Content-Transfer-Encoding/,
    ],
    [
      'invalid field name',
      () => corrupt(raw, 'MIME-Version:', 'MIME Version:'),
      'header-line',
      /invalid field name/,
    ],
    [
      'line that is neither field nor fold',
      () => corrupt(raw, 'MIME-Version: 1.0\r\n', 'MIME-Version: 1.0\r\nbroken line\r\n'),
      'header-line',
      /neither a field nor a fold/,
    ],
    [
      'blank continuation line',
      () => corrupt(raw, 'MIME-Version: 1.0\r\n', 'MIME-Version: 1.0\r\n  \r\n'),
      'header-line',
      /blank continuation/,
    ],
    [
      'header not folded where it could be',
      () => corrupt(raw, 'To: Erika', `To: ${'Erika '.repeat(12)}`),
      'header-line',
      /not folded/,
    ],
    [
      'encoded-word over 75 characters',
      () => corrupt(raw, /=\?UTF-8\?([BQ])\?/, `=?UTF-8?$1?${'A'.repeat(64)}`),
      'encoded-word',
      /characters \(limit 7[56]\)/,
    ],
    [
      'malformed encoded-word',
      () => corrupt(raw, /=\?UTF-8\?([BQ])\?/, '=?UTF-8?X?'),
      'encoded-word',
      /unknown encoding X/,
    ],
    [
      'base64 encoded-word outside the alphabet',
      () => corrupt(raw, 'R3LDvMOf', 'R3LD!MOf'),
      'encoded-word',
      /outside the base64 alphabet/,
    ],
    [
      'unpadded base64 encoded-word',
      () => corrupt(raw, 'OiQ==?=', 'OiQ?='),
      'encoded-word',
      /not padded/,
    ],
    [
      'broken QP escape',
      () => corrupt(raw, /=C3=BC/, '=C3=ZC'),
      'body-quoted-printable',
      /broken "=" escape/,
    ],
    [
      'lower-case QP escape',
      () => corrupt(raw, /=C3=BC/, '=c3=bc'),
      'body-quoted-printable',
      /broken "=" escape/,
    ],
    [
      'QP line over 76',
      () => corrupt(raw, 'u=\r\nn', 'un'),
      'body-quoted-printable',
      /line of \d+ characters \(limit 76\)/,
    ],
    [
      'QP trailing whitespace',
      () => corrupt(raw, 'u=\r\nn', 'u \r\nn'),
      'body-quoted-printable',
      /whitespace at the end/,
    ],
    [
      '8-bit octet in a QP body',
      () => corrupt(raw, /=C3=BC/, '\xc3\xbc'),
      'body-quoted-printable',
      /octet 0xc3/,
    ],
    [
      'base64 outside the alphabet',
      () => corrupt(raw, /\r\n\r\nBwcH/, '\r\n\r\nB!cH'),
      'body-base64',
      /outside the base64 alphabet/,
    ],
    [
      'base64 with a stray CRLF',
      () => corrupt(raw, /\r\n\r\nBwcHBwcH/, '\r\n\r\nBwcH\r\nBwcH'),
      'body-base64',
      /76 characters|outside/,
    ],
    [
      'base64 line of 77',
      () => corrupt(raw, /\r\n\r\nBwcH/, '\r\n\r\nBwcHB'),
      'body-base64',
      /not 76 characters/,
    ],
    [
      'base64 without padding',
      () => corrupt(raw, 'Bwc=\r\n', 'Bwc\r\n'),
      'body-base64',
      /last base64 line/,
    ],
    [
      'boundary inside a body',
      () => corrupt(raw, 'your order', `your\r\n--${boundaryOf(raw)}\r\norder`),
      'boundary',
      /holds the boundary|not followed by a delimiter|trailing text/,
    ],
    [
      'outer boundary inside a body',
      () => corrupt(raw, 'your order', `your\r\n--${boundaryOf(raw, 0)}\r\norder`),
      'boundary',
      /.*/,
    ],
    [
      'boundary declared twice',
      () => corrupt(raw, /boundary="([^"]+)"/, 'boundary="$1"; boundary="x"'),
      'boundary',
      /not as rendered/,
    ],
    [
      'malformed boundary',
      () => corrupt(raw, /boundary="=_/, 'boundary="=_\x7f'),
      'header-line',
      /control character/,
    ],
    [
      'missing close delimiter',
      () => corrupt(raw, /--\r\n$/, '\r\n'),
      'boundary',
      /close delimiter/,
    ],
    [
      'preamble text',
      () => corrupt(raw, /\r\n\r\n--=_/, '\r\n\r\npreamble\r\n--=_'),
      'boundary',
      /does not open with its delimiter/,
    ],
    [
      'wrong multipart subtype',
      () => corrupt(raw, 'multipart/alternative', 'multipart/mixed'),
      'structure',
      /built multipart\/alternative/,
    ],
    [
      'CTE other than built',
      () => corrupt(raw, 'Content-Transfer-Encoding: 7bit', 'Content-Transfer-Encoding: 8bit'),
      'structure',
      /8bit, built 7bit/,
    ],
    [
      'HTML without alternative',
      () => corrupt(raw, 'text/plain', 'image/png'),
      'structure',
      /HTML without a text\/plain alternative/,
    ],
    ['no final CRLF', () => raw.slice(0, -2), 'framing', /end in one CRLF/],
    ['bytes after the message', () => `${raw}epilogue\r\n`, 'framing', /end in one CRLF/],
  ];
  for (const [name, make, expected, message] of cases) {
    it(name, () => {
      const defect = check(make(), shape);
      expect(defect?.check).toBe(expected);
      expect(defect?.message).toMatch(message);
    });
  }

  it('8-bit header octets pass with SMTPUTF8 when they are UTF-8, and only then', () => {
    const utf8 = corrupt(raw, 'Shop <shop', Buffer.from('Shöp <shop').toString('latin1'));
    expect(check(utf8, shape, true)).toBeUndefined();
    expect(check(corrupt(raw, 'Shop <shop', 'Sh\xf6p <shop'), shape, true)?.message).toMatch(
      /not UTF-8/,
    );
  });

  it('base64 bodies at even and odd offsets (two read paths) catch a stray octet', () => {
    const offsets = new Set<number>();
    for (const subject of ['Invoice', 'Invoices']) {
      const m = render({ ...input, subject });
      const body = m.raw.indexOf('\r\n\r\nBwcH') + 4;
      offsets.add(body % 2);
      expect(check(m.raw, m.shape)).toBeUndefined();
      for (const at of [body + 1, body + 70, body + 78 + 40, body + 4 * 78 + 75]) {
        const bad = `${m.raw.slice(0, at)}-${m.raw.slice(at + 1)}`;
        expect(check(bad, m.shape)?.message).toMatch(/outside the base64 alphabet/);
      }
      const crlf = `${m.raw.slice(0, body + 30)}\r\n${m.raw.slice(body + 32)}`;
      expect(check(crlf, m.shape)?.check).toBe('body-base64');
    }
    expect([...offsets].sort()).toEqual([0, 1]);
  });

  it('an expected field the renderer did not write is missing', () => {
    const more: WireShape = { ...shape, fields: [...shape.fields, 'X-Extra'] };
    expect(check(raw, more)?.message).toMatch(/missing header field X-Extra/);
  });
});

describe('selfCheck: a defect refuses the message with SELF_CHECK_FAILED', () => {
  const { raw, shape } = render();
  const bad = Buffer.from(raw.replace('Hello Erika,\r\n', 'Hello Erika,\n'), 'latin1');

  for (const mode of [true, 'full'] as const) {
    it(`selfCheck: ${mode}`, () => {
      let error: unknown;
      try {
        selfCheck(bad, { ...policy, selfCheck: mode }, shape);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(MailHygieneError);
      expect((error as MailHygieneError).code).toBe('SELF_CHECK_FAILED');
      expect((error as MailHygieneError).message).toMatch(/framing at octet \d+: bare LF/);
    });
  }

  it('compose passes its own output with either mode', async () => {
    for (const mode of [true, 'full', false] as const) {
      const { raw: out } = await compose(input, { now, selfCheck: mode });
      expect(out.length).toBeGreaterThan(1000);
    }
  });
});
