/**
 * DKIM-signed legacy mail: repair never leaves a broken signature behind. Bare
 * LF line ends (what PHP hands to sendmail) only become CRLF, so the signature
 * still verifies (mailauth); anything that needs a rebuild is refused.
 */
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { repair } from '../../src/repair/repair.js';
import { MailHygieneError } from '../../src/wire/errors.js';
import { rsaKey, verify } from '../dkim/helpers.js';
import { now } from './cases.js';

const key = rsaKey();
const txt = { 'sel._domainkey.example.com': key.txt };

async function signed(): Promise<Buffer> {
  const { raw } = await compose(
    {
      from: 'Shop <shop@example.com>',
      to: 'erika@example.org',
      subject: 'Grüße aus Köln',
      text: 'Hallo Erika,\n\nschöne Grüße!\n',
      html: '<p>Hallo Erika,</p><p>schöne Grüße!</p>',
    },
    { dkim: { domainName: 'example.com', keySelector: 'sel', privateKey: key.privatePem } },
  );
  return raw;
}

describe('repair of DKIM-signed mail', () => {
  it('bare LF line ends become CRLF and the signature still verifies', async () => {
    const original = await signed();
    const lf = Buffer.from(original.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
    const r = await repair(lf, { now });
    expect(r.applied.map((a) => a.rule)).toEqual(['bare-cr-or-lf']);
    expect(r.raw.equals(original)).toBe(true);
    const results = await verify(r.raw, txt);
    expect(results.map((x) => x.status.result)).toEqual(['pass']);
  });
  it('a signed message that needs a rebuild is refused, not re-signed or broken', async () => {
    const original = await signed();
    const withoutDate = Buffer.from(
      original.toString('latin1').replace(/^Date: .*\r\n/m, ''),
      'latin1',
    );
    const e = await repair(withoutDate, { now }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(MailHygieneError);
    expect((e as MailHygieneError).field).toBe('dkim-signed');
  });
});
