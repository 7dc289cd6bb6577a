/**
 * Header folding: every character on a line is counted before the line is
 * chosen (issue 14 item 3: the comma after a mailbox made an encoded-word line
 * 77 characters), a long field name folds before its first word, and a
 * mailbox without a display name is an angle-addr (issue 12 item 13).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { repair } from '../../src/repair/repair.js';
import { parseMailbox } from '../../src/wire/address/parse.js';
import { renderAddressList } from '../../src/wire/header/address-list.js';
import { HeaderBuilder } from '../../src/wire/header/fold.js';
import { renderUnstructured } from '../../src/wire/header/unstructured.js';
import { SCRIPT_PIECES } from '../support/mail-input.js';

const strict = { smtputf8: false };
const lines = (field: string) => field.replace(/\r\n$/, '').split('\r\n');
const octets = (s: string) => Buffer.byteLength(s, 'utf8');

/** RFC 2047 §2 (76 with an encoded-word) and RFC 5322 §2.1.1 (78, unless one word is longer). */
function lineProblems(field: string): string[] {
  return lines(field).flatMap((l, i) => {
    if (l.includes('=?') && octets(l) > 76) return [`line ${i} (encoded) is ${octets(l)}: ${l}`];
    const words = l.trim().split(/\s+/).length;
    if (octets(l) > 78 && words > 1 && !(i === 0 && words === 2))
      return [`line ${i} is ${octets(l)}: ${l}`];
    return [];
  });
}

const name = fc.array(fc.constantFrom(...SCRIPT_PIECES), { maxLength: 40 }).map((a) => a.join(''));
const address = fc.constantFrom(
  'b@example.org',
  'juergen.mueller.work@mail.example.org',
  `${'x'.repeat(64)}@${'sub.'.repeat(20)}example.org`,
  '"a..b"@example.org',
  'kunde@bücher.example',
);

describe('address lists', () => {
  it('count the comma after a mailbox (the reported 77-character line)', async () => {
    const to = renderAddressList('To', [
      parseMailbox(
        { name: 'Jürgen Müller', address: 'juergen.mueller.work@mail.example.org' },
        'to[0]',
        strict,
      ),
      parseMailbox('b@example.org', 'to[1]', strict),
    ]);
    expect(lineProblems(to)).toEqual([]);
    const { raw } = await compose({
      from: 'a@example.com',
      to: [
        { name: 'Jürgen Müller', address: 'juergen.mueller.work@mail.example.org' },
        'b@example.org',
      ],
      subject: 'x',
      text: 'x',
    });
    expect(raw.toString('latin1')).toContain(
      '\r\n <juergen.mueller.work@mail.example.org>, <b@example.org>\r\n',
    );
  });

  it('keep every line within its limit for any names and addresses', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('To', 'Cc', 'From', 'Reply-To', 'Sender'),
        fc.array(fc.tuple(name, address), { minLength: 1, maxLength: 20 }),
        (field, list) => {
          const boxes = list.map(([n, a], i) =>
            parseMailbox({ name: n, address: a }, `to[${i}]`, strict),
          );
          expect(lineProblems(renderAddressList(field, boxes))).toEqual([]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('write a mailbox without display name as an angle-addr (SpamAssassin TO_NO_BRKTS_*)', () => {
    const box = (s: string) => parseMailbox(s, 'to', strict);
    expect(renderAddressList('To', [box('kunde@example.org')])).toBe('To: <kunde@example.org>\r\n');
    expect(renderAddressList('Cc', [box('a@example.org'), box('Bob <b@example.org>')])).toBe(
      'Cc: <a@example.org>, Bob <b@example.org>\r\n',
    );
  });
});

describe('repair', () => {
  it('re-renders an address field through the same renderer: bare mailboxes get brackets', async () => {
    const now = () => new Date('2026-11-29T13:40:00Z');
    const legacy = Buffer.from(
      'To: b@example.org, J\xfcrgen <c@example.org>\nSubject: s\nDate: Sun, 29 Nov 2026 13:40:00 +0000\nMessage-ID: <m@example.com>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=iso-8859-1\n\nHallo\n',
      'latin1',
    );
    const { raw } = await repair(legacy, { now, defaultFrom: 'shop@example.com' });
    const head = raw.toString('latin1').split('\r\n\r\n')[0]!;
    expect(head).toContain('From: <shop@example.com>\r\n');
    expect(head).toContain('To: <b@example.org>, =?UTF-8?Q?J=C3=BCrgen?= <c@example.org>\r\n');
  });
});

describe('long field names', () => {
  it('fold before the first word when the name leaves no room for it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 76 }), name, (n, value) => {
        const field = renderUnstructured(`X-${'n'.repeat(74)}`.slice(0, n), value);
        expect(lineProblems(field)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
    const field = renderUnstructured(`X-${'a'.repeat(58)}`, 'ä');
    expect(field).toBe(`X-${'a'.repeat(58)}:\r\n =?UTF-8?B?w6Q=?=\r\n`);
  });

  it('keep the first word after the colon when folding would not make it fit', () => {
    const long = `<https://example.com/${'u'.repeat(100)}>`;
    expect(new HeaderBuilder('List-Unsubscribe').add(' ', long).toString()).toBe(
      `List-Unsubscribe: ${long}\r\n`,
    );
  });
});
