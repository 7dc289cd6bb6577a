/**
 * Dates a Date field can carry (issue 14 item 3: a year outside 1000–9999 made
 * compose() throw SELF_CHECK_FAILED): RFC 5322 §3.3 years 1900–9999 are
 * written in four digits, others are refused up front with a typed error.
 */
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { MailHygieneError } from '../../src/wire/errors.js';
import { formatDate } from '../../src/wire/header/date.js';

const base = { from: 'a@example.com', to: 'b@example.org', subject: 's', text: 'x' };

async function refusal(date: Date): Promise<MailHygieneError> {
  try {
    await compose({ ...base, date });
  } catch (e) {
    if (e instanceof MailHygieneError) return e;
    throw e;
  }
  throw new Error(`composed a message dated ${date.toISOString()}`);
}

describe('message dates', () => {
  it('writes the first and last second of 1900–9999', async () => {
    for (const [iso, field] of [
      ['1900-01-01T00:00:00Z', 'Date: Mon, 01 Jan 1900 00:00:00 +0000'],
      ['9999-12-31T23:59:59.999Z', 'Date: Fri, 31 Dec 9999 23:59:59 +0000'],
    ] as const) {
      const { raw } = await compose({ ...base, date: new Date(iso) });
      expect(raw.toString('latin1').split('\r\n')[0]).toBe(field);
    }
  });

  it('refuses years the field cannot carry with INVALID_INPUT naming date', async () => {
    for (const t of [
      Date.UTC(1899, 11, 31, 23, 59, 59),
      Date.UTC(999, 0, 1),
      Date.UTC(10000, 0, 1),
      -8.64e15,
      8.64e15,
      Number.NaN,
    ]) {
      const e = await refusal(new Date(t));
      expect([e.code, e.field]).toEqual(['INVALID_INPUT', 'date']);
      // An invalid Date is already refused by the schema, in its own words.
      if (!Number.isNaN(t)) expect(e.message).toContain('give a date in 1900–9999');
    }
  });

  it('always writes four year digits (repair re-dates legacy years below 1000)', () => {
    expect(formatDate(new Date(Date.UTC(999, 0, 1)))).toBe('Tue, 01 Jan 0999 00:00:00 +0000');
  });
});
