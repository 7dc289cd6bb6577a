/**
 * Strict RFC 5322 §3.3 date-time check. Returns the instant and what is wrong,
 * so `invalid-date` can say exactly which part to fix.
 */
import { commentEnd } from '../wire/index.js';

export interface DateCheck {
  /** The instant, when the value could be read at all. */
  date: Date | undefined;
  problems: string[];
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const RE =
  /^(?:([A-Za-z]+)\s*,\s*)?(\d{1,2})\s+([A-Za-z]+)\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+([+-]\d{4}|[A-Za-z]+)\s*$/;

/**
 * `s` without the comments (and spaces) that end it: RFC 5322 §3.3 allows
 * CFWS after the zone, e.g. `+0000 (UTC)`, and comments nest (§3.2.2), which
 * a regex cannot follow. Each character is read a bounded number of times.
 */
function cutTrailingComments(s: string): string {
  let i = s.indexOf('(');
  while (i !== -1) {
    let j = i;
    while (s[j] === '(' || s[j] === ' ') {
      j = s[j] === ' ' ? j + 1 : commentEnd(s, j);
      if (j === -1) return s; // an unclosed comment: not a date
    }
    if (j === s.length) return s.slice(0, i).trimEnd();
    i = s.indexOf('(', j);
  }
  return s;
}

/**
 * Checks a Date field body.
 *
 * @example checkDate('Sun, 29 Nov 2026 13:40:00 +0000').problems // []
 */
export function checkDate(value: string): DateCheck {
  const problems: string[] = [];
  if (value.includes('\t')) problems.push('contains a tab');
  const m = RE.exec(cutTrailingComments(value.replace(/\t/g, ' ').trim()));
  if (!m) return { date: undefined, problems: ['is not "Day, DD Mon YYYY HH:MM:SS +ZZZZ"'] };
  const [, dow, dd, mon, yyyy, hh, mi, ss = '00', zone = ''] = m;
  const day = Number(dd);
  const month = MONTHS.indexOf(mon!);
  let year = Number(yyyy);
  if (month === -1) problems.push(`month "${mon}" is not one of Jan…Dec`);
  if (yyyy!.length !== 4) {
    problems.push(`year "${yyyy}" is not 4 digits (obsolete form)`);
    year += year < 50 ? 2000 : 1900;
  }
  const h = Number(hh);
  const min = Number(mi);
  const s = Number(ss);
  if (hh!.length !== 2) problems.push('hour is not 2 digits');
  if (h > 23 || min > 59 || s > 60) problems.push(`time ${hh}:${mi}:${ss} is out of range`);
  let offset = 0;
  if (/^[+-]\d{4}$/.test(zone)) {
    const zh = Number(zone.slice(1, 3));
    const zm = Number(zone.slice(3, 5));
    if (zm > 59 || zh > 14 || (zh === 14 && zm > 0)) problems.push(`zone ${zone} is out of range`);
    offset = (zone[0] === '-' ? -1 : 1) * (zh * 60 + zm);
  } else if (zone === 'UT' || zone === 'GMT') {
    problems.push(`zone "${zone}" is obsolete; write +0000`);
  } else {
    problems.push(`zone "${zone}" is not numeric (+hhmm/-hhmm)`);
  }
  if (month === -1) return { date: undefined, problems };
  const utc = Date.UTC(year, month, day, h, min, Math.min(s, 59)) - offset * 60_000;
  const date = new Date(utc);
  const local = new Date(Date.UTC(year, month, day));
  if (local.getUTCDate() !== day) problems.push(`day ${dd} does not exist in ${mon} ${year}`);
  if (dow !== undefined) {
    if (!DAYS.includes(dow)) problems.push(`day-of-week "${dow}" is not one of Mon…Sun`);
    else if (DAYS[local.getUTCDay()] !== dow) {
      problems.push(`${dd} ${mon} ${year} is a ${DAYS[local.getUTCDay()]}, not a ${dow}`);
    }
  }
  return { date, problems };
}
