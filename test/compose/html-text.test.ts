// Issue 12.4: HTML always goes out with a text/plain alternative. Judged by
// postal-mime (an independent parser), not by our own lint.
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { strict } from '../../src/compose/policy.js';
import { selfCheck } from '../../src/compose/self-check.js';
import { MailHygieneError } from '../../src/wire/errors.js';
import type { WireShape } from '../../src/wire/index.js';
import { parsePostal } from '../support/npm-parsers.js';

const now = () => new Date('2026-01-05T10:00:00Z');
const base = { from: 'Shop <shop@example.com>', to: 'erika@example.org', subject: 'Hallo' };
const html = '<p>Grüße aus <b>Köln</b></p>';

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    if (e instanceof MailHygieneError) return `${e.code} ${e.field}`;
    throw e;
  }
  return undefined;
}

describe('compose: html with empty or blank text', () => {
  for (const text of ['', '   ', '\n\t\r\n', '\u00a0']) {
    it(`text ${JSON.stringify(text)} gets a generated text part`, async () => {
      const { raw } = await compose({ ...base, text, html }, { now });
      const head = raw.toString('latin1').split('\r\n\r\n')[0]!;
      expect(head).toMatch(/Content-Type: multipart\/alternative/);
      const parsed = await parsePostal(raw);
      expect(parsed.text?.trim()).toBe('Grüße aus Köln');
      expect(parsed.html).toContain('<b>Köln</b>');
    });
  }

  it('text given as empty bytes gets one too', async () => {
    const { raw } = await compose({ ...base, text: new Uint8Array(0) as never, html }, { now });
    expect((await parsePostal(raw)).text?.trim()).toBe('Grüße aus Köln');
  });

  it('textFromHtml: false with html and no text is refused up front', async () => {
    expect(await codeOf(compose({ ...base, html }, { now, textFromHtml: false }))).toBe(
      'INVALID_BODY text',
    );
    expect(await codeOf(compose({ ...base, text: ' ', html }, { now, textFromHtml: false }))).toBe(
      'INVALID_BODY text',
    );
  });

  it('html without visible text still goes out as multipart/alternative (an empty text part)', async () => {
    const img = '<p><img src="cid:logo" alt=""></p>';
    const { raw } = await compose({ ...base, html: img }, { now });
    const head = raw.toString('latin1');
    expect(head).toMatch(/Content-Type: multipart\/alternative/);
    expect(head).toMatch(/Content-Type: text\/plain/);
  });

  it('text and html given: both kept as they are', async () => {
    const { raw } = await compose({ ...base, text: 'Eigener Text', html }, { now });
    expect((await parsePostal(raw)).text?.trim()).toBe('Eigener Text');
  });
});

describe('self-check: an HTML-only message is refused', () => {
  const htmlOnly = [
    'From: shop@example.com',
    'To: erika@example.org',
    'Subject: Hallo',
    'Date: Mon, 05 Jan 2026 10:00:00 +0000',
    'Message-ID: <a.b@example.com>',
    'MIME-Version: 1.0',
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: 7bit',
    '',
    '<p>Hello</p>',
    '',
  ].join('\r\n');

  // The fields as written, so only the HTML-only structure is wrong.
  const shape: WireShape = {
    kind: 'leaf',
    cte: '7bit',
    fields: htmlOnly
      .split('\r\n\r\n')[0]!
      .split('\r\n')
      .map((l) => l.slice(0, l.indexOf(':'))),
  };

  it('the wire verifier throws SELF_CHECK_FAILED naming multipart/alternative', () => {
    const policy = { ...strict, now };
    expect(() => selfCheck(Buffer.from(htmlOnly), policy, shape)).toThrow(
      /HTML without a text\/plain alternative \(multipart\/alternative\)/,
    );
    try {
      selfCheck(Buffer.from(htmlOnly), policy, shape);
    } catch (e) {
      expect((e as MailHygieneError).code).toBe('SELF_CHECK_FAILED');
    }
  });

  it("selfCheck: 'full' also runs the lint rules, which see what the wire verifier does not", () => {
    // Right on the wire (text/plain), but the Date is no date: only lint's invalid-date knows.
    const wireRight = htmlOnly
      .replace('text/html', 'text/plain')
      .replace('Mon, 05 Jan 2026 10:00:00 +0000', 'yesterday');
    const bytes = Buffer.from(wireRight);
    expect(() => selfCheck(bytes, { ...strict, now }, shape)).not.toThrow();
    expect(() => selfCheck(bytes, { ...strict, now, selfCheck: 'full' }, shape)).toThrow(
      /invalid-date/,
    );
  });

  it('passes the same message with a text alternative', async () => {
    for (const selfCheckMode of [true, 'full'] as const) {
      const { raw } = await compose(
        { ...base, text: 'Hello', html: '<p>Hello</p>' },
        { now, selfCheck: selfCheckMode },
      );
      expect(raw.toString('latin1')).toMatch(/multipart\/alternative/);
    }
  });
});
