/**
 * An attachment's contentType is caller input, checked into a typed value
 * (compose/attachment.ts checkContentType); foreign Content-Type fields are
 * the read floor's parseContentType. Issue 16: one contract per floor.
 */
import { describe, expect, it } from 'vitest';
import { checkContentType } from '../../src/compose/attachment.js';
import { compose } from '../../src/compose/compose.js';
import { MailHygieneError } from '../../src/wire/errors.js';

const now = () => new Date('2026-01-05T10:00:00Z');
const withType = (contentType: string) =>
  compose(
    {
      from: 'shop@example.com',
      to: 'erika@example.org',
      subject: 'Hallo',
      text: 'x',
      attachments: [{ filename: 'a.txt', content: 'hi', contentType }],
    },
    { now },
  );

describe('attachment contentType', () => {
  it('is a lower-case type and at most one charset', () => {
    expect(checkContentType('Text/Plain; charset="UTF-8"', 'f')).toEqual({
      type: 'text/plain',
      charset: 'utf-8',
    });
    expect(checkContentType('application/pdf', 'f')).toEqual({
      type: 'application/pdf',
      charset: undefined,
    });
  });
  it('refuses a second charset up front, not in the self-check', async () => {
    const e = await withType('text/plain; charset=utf-8; charset=iso-8859-1').catch((x) => x);
    expect(e).toBeInstanceOf(MailHygieneError);
    expect(e).toMatchObject({ code: 'INVALID_ATTACHMENT', field: 'attachments[0].contentType' });
    expect(e.message).toContain('charset is given twice');
  });
  it('writes the charset it was given', async () => {
    const raw = (await withType('text/plain; charset=ISO-8859-1')).raw.toString('latin1');
    expect(raw).toContain('Content-Type: text/plain; charset=iso-8859-1; name="a.txt"');
  });
});
