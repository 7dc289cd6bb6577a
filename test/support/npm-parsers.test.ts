import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBoth, parseMailparser, parsePostal, parserDifferences, toLf } from './npm-parsers.js';

const sample = (name: string) =>
  readFileSync(new URL(`../fixtures/samples/${name}`, import.meta.url));

const alternative = (text: string, html: string, cte = '7bit') => {
  const enc = (s: string) => (cte === 'base64' ? Buffer.from(s).toString('base64') : s);
  return Buffer.from(
    'From: a@example.com\r\nTo: b@example.org\r\nSubject: x\r\nMIME-Version: 1.0\r\n' +
      'Content-Type: multipart/alternative; boundary=b\r\n\r\n' +
      `--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: ${cte}\r\n\r\n${enc(text)}\r\n` +
      `--b\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: ${cte}\r\n\r\n${enc(html)}\r\n--b--\r\n`,
  );
};

describe('npm parsers in one shape', () => {
  it('agree on good.eml and decode it', async () => {
    const { postal, mailparser } = await parseBoth(sample('good.eml'));
    expect(parserDifferences(postal, mailparser)).toEqual([]);
    expect(postal.subject).toBe('Grüße aus Köln');
    expect(postal.from).toEqual([{ name: 'Jürgen Müller', address: 'juergen@example.com' }]);
    expect(postal.text).toBe(
      'Hallo Erika,\n\nschöne Grüße aus Köln! Wir sehen uns nächste Woche zum Kaffee.\n\nViele Grüße\nJürgen\n',
    );
    expect(postal.date).toBe('2026-11-29T13:40:00.000Z');
  });

  it('agree on attachments, inline cid and RFC 2231 filenames (nodemailer-attach.eml)', async () => {
    const { postal, mailparser } = await parseBoth(sample('nodemailer-attach.eml'));
    expect(parserDifferences(postal, mailparser)).toEqual([]);
    expect(postal.to.map((a) => a.name)).toEqual(['Erika Mustermann', 'Ödön, von Horváth']);
    expect(
      postal.attachments.map((a) => [a.filename, a.contentType, a.cid, a.disposition]),
    ).toEqual([
      ['logo.png', 'image/png', 'logo@example.com', 'inline'],
      ['Rechnung März.pdf', 'application/pdf', null, 'attachment'],
    ]);
    expect(postal.attachments[1]?.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(postal.html).toContain('src="cid:logo@example.com"'); // mailparser left cid: links alone
  });

  it('strip the boundary CRLF postal-mime keeps, so both give the exact part body', async () => {
    for (const [text, html] of [
      ['abc', '<p>x</p>'],
      ['abc\r\n', '<p>x</p>\r\n\r\n'],
      ['two\r\nlines\r\n\r\n', '<p>a</p>\r\n<p>b</p>'],
    ] as const) {
      for (const cte of ['7bit', 'base64']) {
        const { postal, mailparser } = await parseBoth(alternative(text, html, cte));
        expect(postal.text, cte).toBe(toLf(text));
        expect(mailparser.text, cte).toBe(toLf(text));
        expect(postal.html, cte).toBe(toLf(html));
        expect(mailparser.html, cte).toBe(toLf(html));
      }
    }
  });

  it('report no text for an HTML-only message in either parser (no derived text)', async () => {
    const raw = sample('bad.eml');
    expect((await parseMailparser(raw)).text).toBeNull();
    expect((await parsePostal(raw)).text).toBeNull();
    expect((await parsePostal(raw)).html).toContain('<p>Hallo Erika,</p>');
  });

  it('parserDifferences names what differs', async () => {
    const a = await parsePostal(sample('good.eml'));
    const b = { ...a, subject: 'other', attachments: [] };
    expect(parserDifferences(a, b)).toEqual(['subject: "Grüße aus Köln" ≠ "other"']);
  });
});
