// The per-part body facts the rules share (src/read/facts.ts): each one right, computed once.
import { describe, expect, it } from 'vitest';
import { LintContext } from '../../src/lint/context.js';
import { decodedBody, parseMessage } from '../../src/read/index.js';

const LONG = 'caf=E9 and a line that is long enough to be longer than the others here=';
const message = [
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="b"',
  '',
  '--b',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Gr=C3=BC=C3=9Fe',
  LONG,
  '',
  '--b',
  'Content-Type: text/plain; charset=us-ascii',
  'Content-Transfer-Encoding: 7bit',
  '',
  'plain \x00 text',
  '--b',
  'Content-Type: application/octet-stream',
  'Content-Transfer-Encoding: base64',
  '',
  'AAEC',
  '--b',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: 8bit',
  '',
  'Gr\xc3\xbc\xc3\x9fe', // UTF-8 octets (the message is built as Latin-1)
  '--b',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'bad =zz escape ',
  '--b--',
  '',
].join('\r\n');

function setup() {
  const msg = parseMessage(Buffer.from(message, 'latin1'));
  const ctx = new LintContext(msg, {});
  const [qp, ascii, b64, eightBit, badQp] = msg.root.children;
  return { msg, ctx, qp: qp!, ascii: ascii!, b64: b64!, eightBit: eightBit!, badQp: badQp! };
}

describe('PartFacts', () => {
  it('knows 8-bit octets before and after the transfer encoding', () => {
    const { ctx, qp, ascii, b64, eightBit } = setup();
    expect(ctx.facts(qp).raw8bit).toBe(false);
    expect(ctx.facts(qp).decoded8bit).toBe(true);
    expect(ctx.facts(ascii).raw8bit).toBe(false);
    expect(ctx.facts(ascii).decoded8bit).toBe(false);
    expect(ctx.facts(b64).decoded8bit).toBe(false);
    expect(ctx.facts(eightBit).raw8bit).toBe(true);
  });

  it('judges UTF-8 on the decoded body (a lone =E9 is not UTF-8)', () => {
    const { ctx, qp, ascii, eightBit } = setup();
    expect(ctx.facts(qp).utf8).toBe(false);
    expect(ctx.facts(ascii).utf8).toBe(true);
    expect(ctx.facts(eightBit).utf8).toBe(true);
  });

  it('finds NUL, the line shape and quoted-printable well-formedness', () => {
    const { ctx, qp, ascii, b64, badQp } = setup();
    expect(ctx.facts(ascii).nul).toBe(true);
    expect(ctx.facts(qp).nul).toBe(false);
    expect(ctx.facts(qp).lines).toEqual({ maxLen: LONG.length, data: 15 + LONG.length });
    expect(ctx.facts(b64).lines).toEqual({ maxLen: 4, data: 4 });
    expect(ctx.facts(qp).wellFormedQuotedPrintable).toBe(true);
    expect(ctx.facts(badQp).wellFormedQuotedPrintable).toBe(false);
    expect(ctx.facts(ascii).wellFormedQuotedPrintable).toBe(false);
  });

  it('is one object per part, shared by every rule and every context of the message', () => {
    const { msg, ctx, qp } = setup();
    const f = ctx.facts(qp);
    expect(ctx.facts(qp)).toBe(f);
    expect(new LintContext(msg, {}).facts(qp)).toBe(f);
    expect(f.lines).toBe(ctx.facts(qp).lines);
    // The decoded body behind the 8-bit and UTF-8 facts is the one decodedBody() returns.
    expect(f.decoded8bit).toBe(true);
    expect(decodedBody(msg, qp).toString('utf8')).toContain('Grüße');
  });
});
