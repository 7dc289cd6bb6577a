/** RFC 5322 §3.3 date-time, always in UTC with a numeric zone. */
import { MailHygieneError } from '../errors.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * Years a Date field can carry: RFC 5322 §3.3 reads the year as "any numeric
 * year 1900 or later", and parsers (lint's own among them) take four digits.
 */
const MIN_YEAR = 1900;
const MAX_YEAR = 9999;

/** Throws INVALID_INPUT unless `d` is a valid Date that a Date field can carry. */
export function checkMessageDate(d: Date, field: string): Date {
  const year = d.getUTCFullYear(); // NaN for an invalid Date
  if (!(year >= MIN_YEAR && year <= MAX_YEAR)) {
    throw new MailHygieneError(
      'INVALID_INPUT',
      Number.isNaN(year)
        ? `${field} is not a valid Date`
        : `${field}: the year ${year} (UTC) cannot be written in a Date field; give a date in ${MIN_YEAR}–${MAX_YEAR} (RFC 5322 §3.3)`,
      { field },
    );
  }
  return d;
}

/**
 * `Sun, 29 Nov 2026 13:40:00 +0000`. The year always has four digits (a year
 * below 1000 that repair reads from a legacy Date keeps its leading zeros).
 */
export function formatDate(d: Date): string {
  return `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCFullYear()).padStart(4, '0')} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}
