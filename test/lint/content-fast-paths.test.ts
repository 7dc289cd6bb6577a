// The fast paths in the content rules' text helpers must give exactly what the
// code they short-cut gave: htmlToPlain without "&", withoutUuencode (through
// looksLikeHtml) without a "begin NNN name" line.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { htmlToPlain, looksLikeHtml, withoutUuencode } from '../../src/lint/rules/content.js';

/** htmlToPlain's entity step as it was: every replacement, whether or not the text has "&". */
const entities = (s: string) =>
  s
    .replace(/&nbsp;/gi, ' ')
    .replace(/&amp;/gi, '&')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#(\d+);/g, (_, d: string) =>
      Number(d) <= 0x10ffff ? String.fromCodePoint(Number(d)) : '\ufffd',
    );

/** withoutUuencode as it was: line by line on every text. */
function withoutUuencodeBefore(text: string): string {
  const out: string[] = [];
  let inBlock = false;
  for (const line of text.split('\n')) {
    const l = line.replace(/\r$/, '');
    if (!inBlock && /^begin [0-7]{3,4} \S/.test(l)) inBlock = true;
    else if (inBlock && l === 'end') inBlock = false;
    else if (!inBlock) out.push(l);
  }
  return out.join('\n');
}

/** looksLikeHtml as it was. */
function looksLikeHtmlBefore(text: string): boolean {
  const head = withoutUuencodeBefore(text.slice(0, 4 * 4096)).slice(0, 4096);
  const tags =
    head.match(
      /<\/?(?:html|head|body|title|meta|p|br|div|span|table|tr|td|a|b|i|u|strong|em|font|img|ul|ol|li|h[1-6])\b[^<>]{0,200}>/gi,
    )?.length ?? 0;
  if (/<(?:!doctype\s+html|html|head|body)\b[^<>]{0,200}>/i.test(head)) return tags >= 3;
  return /^\s*</.test(head) && tags >= 3;
}

const piece = fc.constantFrom(
  '<',
  '>',
  '<p>',
  '</p>',
  '<br>',
  '<html>',
  '<body>',
  ' ',
  '\r',
  '\n',
  '\r\n',
  '\u2028',
  'a',
  'end',
  'begin 644 x',
  'begin 644 \r',
  'begin 12 y',
  '&',
  '&amp;',
  '&lt;',
  '&#65;',
  '&nbsp;',
  '<script>',
  '</script>',
);
const text = fc.array(piece, { maxLength: 40 }).map((a) => a.join(''));

describe('content rule fast paths', () => {
  it('htmlToPlain equals tag stripping plus the full entity step on any input', () => {
    const before = (h: string) =>
      entities(
        h.replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, ' ').replace(/<[^>]*>/g, ' '),
      );
    fc.assert(
      fc.property(text, (s) => {
        expect(htmlToPlain(s)).toBe(before(s));
      }),
      { numRuns: 3000 },
    );
  });

  it('withoutUuencode and looksLikeHtml equal the line-by-line uuencode filter', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(withoutUuencode(s)).toBe(withoutUuencodeBefore(s));
        expect(looksLikeHtml(s)).toBe(looksLikeHtmlBefore(s));
      }),
      { numRuns: 5000 },
    );
    const block = 'begin 644 f.bin\r\nM<html><body><p>\r\nend\r\n';
    expect(looksLikeHtml(`${block}<html><body><p>x</p></body></html>`)).toBe(
      looksLikeHtmlBefore(`${block}<html><body><p>x</p></body></html>`),
    );
  });
});
