/**
 * The judges must not cry wolf, and must not lose data: messages written by an
 * independent, widely used composer (nodemailer's MailComposer) from random
 * Unicode input get no findings from the Python judge, and all three parsers
 * hand back exactly the input. If this fails, suspect the judge first.
 */
import fc from 'fast-check';
import MailComposer from 'nodemailer/lib/mail-composer';
import { describe, expect, it } from 'vitest';
import { parseBoth, parserDifferences, toLf } from './npm-parsers.js';
import { pyDisplayNameKey, pyFindings, usePythonEmail } from './python-email.js';

// letters, digits, punctuation and spaces from several scripts, plus emoji;
// no controls, no line breaks: single-line fields
const word = fc
  .array(
    fc.constantFrom(
      ...'abcxyzABCXYZ0189 .,;:!?-_()"\'/@äöüßéèçñøåÆŒłžÄÖÜ€£¥αβγΩдЖщ中文字かなカナ한글עבריתالعربية😀👍🏽🎉'.split(
        /(?:)/u,
      ),
    ),
    { minLength: 1, maxLength: 40 },
  )
  .map((a) => a.join(''))
  .filter((s) => s.trim() === s && s.trim().length > 0);
const body = fc
  .array(fc.oneof(word, fc.constant('\n'), fc.constant('\n\n')), { minLength: 1, maxLength: 30 })
  // CRLF: MailComposer passes line endings through as given
  .map((a) => `${a.join(' ')}\n`.replace(/\n/g, '\r\n'));

const build = (mail: Record<string, unknown>): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    new MailComposer(mail).compile().build((err: Error | null, msg: Buffer) => {
      if (err) reject(err);
      else resolve(msg);
    });
  });

describe('judges vs an independent composer (nodemailer MailComposer)', () => {
  const py = usePythonEmail();

  it('find nothing wrong and decode exactly what went in', async () => {
    await fc.assert(
      fc.asyncProperty(word, word, body, body, async (subject, name, text, html) => {
        const raw = await build({
          from: { name, address: 'sender@example.com' },
          to: [{ name: 'Erika', address: 'erika@oracle.test' }],
          subject,
          text,
          html: `<p>${html}</p>`,
          date: new Date('2026-11-29T13:40:00Z'),
          messageId: '<prop@example.com>',
        });
        const r = await py.check(raw);
        expect(pyFindings(r)).toEqual([]);
        expect(r.headers.subject).toBe(subject);
        // Python's display-name whitespace quirk (see pyDisplayNameKey); exact below.
        expect(r.headers.from?.map((m) => ({ ...m, name: pyDisplayNameKey(m.name) }))).toEqual([
          { name: pyDisplayNameKey(name), address: 'sender@example.com' },
        ]);
        expect(r.parts.find((p) => p.contentType === 'text/plain')?.text).toBe(text);

        const { postal, mailparser } = await parseBoth(raw);
        expect(parserDifferences(postal, mailparser)).toEqual([]);
        expect(postal.subject).toBe(subject);
        expect(postal.from).toEqual([{ name, address: 'sender@example.com' }]);
        expect(postal.text).toBe(toLf(text));
        expect(postal.html).toBe(toLf(`<p>${html}</p>`));
      }),
      { numRuns: 200 },
    );
  });
});
