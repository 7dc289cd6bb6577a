/**
 * fast-check arbitraries of ordinary compose() input at scale: recipient
 * lists, display names in every script, long and quoted addresses, IDN
 * domains, custom header names up to the limit, dates, filenames. Mostly
 * valid; the few invalid values are marked (`invalid`) so a test can tell
 * the refusals it expects from the ones that are bugs.
 */
import { domainToASCII } from 'node:url';
import fc from 'fast-check';
import { SAFE_PIECES } from './unicode.js';

/** Pieces of display names: every script, and what breaks encoders and folders. */
export const SCRIPT_PIECES = [
  ...SAFE_PIECES,
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split(''),
  ' ',
  ' ',
  ' ',
  '!',
  '#',
  '&',
  '*',
  '/',
  '|',
  '~',
  'Jürgen',
  'Müller',
  'François',
  'Łukasz',
  'Ærøskøbing',
  'Ελληνικά',
  'Дмитрий',
  'Հայերեն',
  'ქართული',
  'עִבְרִית',
  'محمد',
  'فارسی',
  'हिन्दी',
  'क्षि',
  'বাংলা',
  'தமிழ்',
  'ไทย',
  'ພາສາລາວ',
  'አማርኛ',
  '中文名字',
  '𠜎𠜱',
  '日本語',
  'カタカナ',
  'ｶﾀｶﾅ',
  '한국어',
  '각',
  'Ṩ̣̇',
  'ǅ',
  'ﬁ',
  '1️⃣',
  '❤️',
  '👩🏽‍💻',
  '🧑‍🤝‍🧑',
  '🏴󠁧󠁢󠁳󠁣󠁴󠁿',
  '🇯🇵🇫🇷',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '\u200c',
  '\u2066',
];

/** A display name: 0–60 pieces (long ones need several encoded-words). */
export const displayName = fc.oneof(
  { weight: 1, arbitrary: fc.constant('') },
  {
    weight: 6,
    arbitrary: fc
      .array(fc.constantFrom(...SCRIPT_PIECES), { minLength: 1, maxLength: 60 })
      .map((a) => a.join('')),
  },
  // plain ASCII words and quoted-string names, short and long
  {
    weight: 2,
    arbitrary: fc
      .array(
        fc.constantFrom('Erika', 'Mustermann', 'Doe,', 'Jane', "O'Brien", '"Q"', 'a\\b', 'X'),
        {
          minLength: 1,
          maxLength: 40,
        },
      )
      .map((a) => a.join(' ')),
  },
);

const ATEXT = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-";

/** A dot-atom local part of up to 64 characters (an "=?" in it is refused, see `invalid`). */
const dotAtomLocal = fc
  .array(
    fc.oneof(
      {
        weight: 4,
        arbitrary: fc.string({
          unit: fc.constantFrom(...'abcxyz0189._-'),
          minLength: 1,
          maxLength: 20,
        }),
      },
      {
        weight: 1,
        arbitrary: fc.string({ unit: fc.constantFrom(...ATEXT), minLength: 1, maxLength: 64 }),
      },
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((a) =>
    a
      .join('.')
      .replace(/\.{2,}/g, '.')
      .replace(/^[.-]+|\.+$/g, '')
      .slice(0, 64)
      .replace(/\.+$/, ''),
  )
  .filter((s) => s !== '');

/**
 * A quoted local part whose content needs the quotes (dots in odd places,
 * escaped quotes). "%" is refused in it (percent-hack routing), so left out.
 */
const quotedLocal = fc
  .string({
    unit: fc.constantFrom(...ATEXT.replace('%', ''), '.', '..', '\\"', '\\\\', '=?'),
    minLength: 1,
    maxLength: 20,
  })
  .map((s) => `"${s}"`)
  .filter((s) => !s.startsWith('"-') && Buffer.byteLength(s) <= 64);

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** An LDH label: letters and digits, single hyphens inside, 1–63 characters. */
const ldhLabel = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .array(fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 1, maxLength: 12 }), {
        minLength: 1,
        maxLength: 3,
      })
      .map((a) => a.join('-')),
  },
  {
    weight: 1,
    arbitrary: fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 50, maxLength: 63 }),
  },
);
const idnLabel = fc
  .array(
    fc.constantFrom('bücher', 'köln', 'straße', 'münchen', 'españa', '中文', 'пример', 'ελλάδα'),
    {
      minLength: 1,
      maxLength: 2,
    },
  )
  .map((a) => a.join('-'));
const tld = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'),
  minLength: 2,
  maxLength: 10,
});

/** A fully qualified domain as typed (IDN labels in Unicode) and in ASCII, up to 253 octets. */
const domain = fc
  .tuple(
    fc.array(fc.oneof({ weight: 4, arbitrary: ldhLabel }, { weight: 1, arbitrary: idnLabel }), {
      minLength: 1,
      maxLength: 4,
    }),
    tld,
  )
  .map(([labels, t]) => {
    const typed = [...labels, t].join('.');
    return { typed, ascii: domainToASCII(typed) };
  })
  .filter((d) => d.ascii.length > 0 && d.ascii.length <= 253);

export interface GeneratedMailbox {
  /** What compose() is given: a string or `{ name, address }`. */
  input: string | { name: string; address: string };
  name: string;
  /** The address as every reader must read it back (A-label domain, needed quotes kept). */
  expected: string;
  /** Why compose() must refuse it (INVALID_ADDRESS), or undefined. */
  invalid?: string;
}

/** Needless quotes are dropped ("abc"@x is abc@x); others stay, with \" and \\ kept. */
function wireLocal(local: string): string {
  if (!local.startsWith('"')) return local;
  const content = local.slice(1, -1).replace(/\\(.)/g, '$1');
  return /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/.test(content)
    ? content
    : `"${content.replace(/[\\"]/g, '\\$&')}"`;
}

/** One mailbox, given as an object or (for simple names) as a string. */
export const mailbox: fc.Arbitrary<GeneratedMailbox> = fc
  .tuple(
    displayName,
    fc.oneof({ weight: 6, arbitrary: dotAtomLocal }, { weight: 1, arbitrary: quotedLocal }),
    domain,
    fc.boolean(),
  )
  .map(([name, local, d, asString]) => {
    const address = `${local}@${d.typed}`;
    const expected = `${wireLocal(local)}@${d.ascii}`;
    const invalid = local.includes('=?') ? 'the local part looks like an encoded-word' : undefined;
    // A string needs its name quoted; only names without " \\ < > are given that way.
    const input =
      asString && !/["\\<>]/.test(name) && name.trim() === name
        ? name === ''
          ? address
          : `"${name}" <${address}>`
        : { name, address };
    return { input, name, expected, ...(invalid && { invalid }) };
  })
  .filter((m) => Buffer.byteLength(m.expected) <= 254);

const RESERVED =
  /^(?:from|sender|to|cc|bcc|reply-to|subject|date|message-id|in-reply-to|references|mime-version|return-path|received|dkim-signature|list-unsubscribe|list-unsubscribe-post|auto-submitted|content-.*)$/i;

/** A custom header name of 1–76 ftext characters (the limit of checkCustomHeaderName). */
export const headerName = fc
  .oneof(
    // ftext (RFC 5322 §3.6.8): printable ASCII but ":" and space
    fc.string({
      unit: fc.constantFrom(
        ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!#',
      ),
      minLength: 1,
      maxLength: 76,
    }),
    fc.integer({ min: 40, max: 74 }).map((n) => `X-${'Long-Name-'.repeat(8).slice(0, n)}`),
  )
  .filter((n) => !RESERVED.test(n));

/** A header value: printable ASCII, Unicode from every script, or empty. */
export const headerValue = fc.oneof(
  fc.array(fc.constantFrom(...SCRIPT_PIECES), { maxLength: 40 }).map((a) => a.join('')),
  fc.string({ unit: fc.constantFrom(...'abc XYZ 0189.,;:-_'), maxLength: 120 }),
);

export interface GeneratedDate {
  date: Date;
  /** Why compose() must refuse it (INVALID_INPUT), or undefined. */
  invalid?: string;
}

const YEAR_MS = 365.2425 * 86_400_000;
/** Mostly 1900–9999 (to the second), sometimes a year a Date field cannot carry. */
export const messageDate: fc.Arbitrary<GeneratedDate> = fc.oneof(
  {
    weight: 20,
    arbitrary: fc
      .integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59) })
      .map((t) => ({ date: new Date(t) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.integer({ min: -8.64e15, max: Date.UTC(1900, 0, 1) - 1 }),
        fc.integer({ min: Date.UTC(10000, 0, 1), max: 8.64e15 }),
        fc.constantFrom(Date.UTC(1899, 11, 31, 23, 59, 59), Date.UTC(10000, 0, 1), -YEAR_MS * 3000),
      )
      .map((t) => ({ date: new Date(Math.round(t)), invalid: 'year outside 1900–9999' })),
  },
);

/** Filenames, some longer than the 255-unit limit and cut there (astral, ZWJ, marks at the cut). */
export const filename = fc
  .tuple(
    fc.array(fc.constantFrom(...SCRIPT_PIECES.filter((p) => !/[/\\]/.test(p))), {
      minLength: 1,
      maxLength: 120,
    }),
    fc.constantFrom('.pdf', '.txt', '.tar.gz', ''),
  )
  .map(([a, ext]) => `${a.join('')}${ext}`)
  .filter((f) => f.trim() !== '' && f.trim() !== '.' && f.trim() !== '..');

/**
 * 1–20 mailboxes: mostly a few, often many (fast-check's default size would
 * never go past 12).
 */
export const mailboxList = fc
  .oneof(
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 4 }) },
    { weight: 1, arbitrary: fc.integer({ min: 5, max: 20 }) },
  )
  .chain((n) => fc.array(mailbox, { minLength: n, maxLength: n }));
