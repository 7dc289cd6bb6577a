/**
 * Strict mailbox parser: `Name <local@domain>`, `local@domain`, or `{ name, address }`.
 * A deliberate subset of RFC 5322 §3.4: no groups, comments, source routes,
 * address literals or lists. Anything else is refused, never guessed at.
 * Runs in linear time: one left-to-right scan, no backtracking regexes.
 */

import { quotedEnd } from '../cfws.js';
import { type ErrorCode, formatCodePoint, MailHygieneError } from '../errors.js';
import { findUnsafeCodePoint } from '../header/single-line.js';
import { MAX_ADDRESS, MAX_ADDRESS_INPUT, MAX_LOCAL_PART } from '../limits.js';
import { hasDefaultIgnorableOrBidi, toAsciiDomain } from './domain.js';
import type { Mailbox } from './mailbox.js';
import type { AddressInput } from './types.js';

const QUOTED_PAIR = /\\(.)/gs;
const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
const ASCII_DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
/**
 * What validator's `isEmail` (13.15, with `require_tld`, no IP domains, the
 * 64/254 limits, `allow_utf8_local_part` = smtputf8) refuses beyond the checks
 * of this module, for a dot-atom local part and a domain from toAsciiDomain:
 * a top-level label that is not two or more letters or an `xn…` A-label, and
 * with SMTPUTF8 a local-part character outside its Unicode ranges (astral
 * characters, private use, noncharacters, U+0080–U+00A0). Everything else it
 * checks (lengths, atext, LDH labels, hyphens, numeric TLDs, underscores) is
 * already refused above. Checked here instead of calling it: isEmail was the
 * single largest cost of parsing an address; test/address/parse.test.ts holds
 * this to isEmail itself on generated addresses.
 */
const EMAIL_TLD = /^(?:[a-z]{2,}|xn[a-z0-9-]{2,})$/;
const EMAIL_UTF8_LOCAL =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\u00A1-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF-]+$/;

export interface ParseOptions {
  /** Allow non-ASCII local parts (RFC 6531). */
  smtputf8: boolean;
}

function fail(
  field: string,
  input: string,
  reason: string,
  code: 'INVALID_ADDRESS' | 'SMTPUTF8_REQUIRED' = 'INVALID_ADDRESS',
): never {
  const shown = input.length > 80 ? `${input.slice(0, 77)}...` : input;
  throw new MailHygieneError(
    code,
    `${field}: ${JSON.stringify(shown)} is not a valid address: ${reason}`,
    { field },
  );
}

/**
 * Parses one mailbox. `field` names the input for errors (`to[2]`, `from`).
 *
 * @example
 * ```ts
 * parseMailbox('Jürgen Müller <juergen@bücher.example>', 'from', { smtputf8: false })
 * // → { name: 'Jürgen Müller', localPart: 'juergen', domain: 'xn--bcher-kva.example', ... }
 * ```
 */
export function parseMailbox(input: AddressInput, field: string, options: ParseOptions): Mailbox {
  if (typeof input === 'string') return parseMailboxString(input, field, options);
  if (input === null || typeof input !== 'object' || typeof input.address !== 'string') {
    const email = input !== null && typeof input === 'object' && Object.hasOwn(input, 'email');
    throw new MailHygieneError(
      'INVALID_ADDRESS',
      email
        ? `${field}: an address object is { name?, address }: rename \`email\` to \`address\``
        : `${field}: expected "Name <name@example.org>", "name@example.org" or { name?, address }`,
      { field },
    );
  }
  const name = input.name ?? '';
  if (typeof name !== 'string') {
    throw new MailHygieneError('INVALID_ADDRESS', `${field}.name must be a string`, {
      field: `${field}.name`,
    });
  }
  checkName(name, `${field}.name`);
  return parseAddrSpec(input.address, `${field}.address`, options, name);
}

function checkName(name: string, field: string): void {
  if (name.length > MAX_ADDRESS_INPUT) {
    throw new MailHygieneError(
      'INVALID_ADDRESS',
      `${field}: display name is longer than ${MAX_ADDRESS_INPUT} characters`,
      { field },
    );
  }
  refuseUnsafe(name, field, 'HEADER_INJECTION', 'display name ');
}

/**
 * Throws `code` when `value` holds a line break, control or unpaired
 * surrogate, naming it ("display name " or nothing as `what`).
 */
function refuseUnsafe(value: string, field: string, code: ErrorCode, what = ''): void {
  const cp = findUnsafeCodePoint(value);
  if (cp !== -1) {
    throw new MailHygieneError(
      code,
      `${field}: ${what}contains ${formatCodePoint(cp)}; line breaks and controls are refused`,
      { field, codePoint: cp },
    );
  }
}

function parseMailboxString(raw: string, field: string, options: ParseOptions): Mailbox {
  try {
    return parseOneMailboxString(raw, field, options);
  } catch (e) {
    throw listHint(e, raw, field);
  }
}

/**
 * `'a@example.org, b@example.org'` is refused like any malformed address, but
 * the message then says why: a string is one mailbox, several go in an array.
 * Only the message changes (a quoted local part may hold "," and "@").
 */
function listHint(e: unknown, raw: string, field: string): unknown {
  if (!(e instanceof MailHygieneError) || e.code !== 'INVALID_ADDRESS') return e;
  // Over-long input was refused for its length; a hint would only scan it again.
  if (raw.length > MAX_ADDRESS_INPUT) return e;
  const first = raw.indexOf('@');
  if (first === -1 || raw.indexOf('@', first + 1) === -1 || !/[,;]/.test(raw)) return e;
  return new MailHygieneError(
    'INVALID_ADDRESS',
    `${e.message}. A string is one mailbox: give several as an array, e.g. ['a@example.org', 'b@example.org']`,
    { field: e.field ?? field, cause: e },
  );
}

function parseOneMailboxString(raw: string, field: string, options: ParseOptions): Mailbox {
  if (raw.length > MAX_ADDRESS_INPUT)
    fail(field, raw, `longer than ${MAX_ADDRESS_INPUT} characters`);
  refuseUnsafe(raw, field, 'INVALID_ADDRESS');
  const s = raw.trim();
  const lt = s.indexOf('<');
  if (lt === -1) {
    if (s.includes('>')) fail(field, raw, 'unbalanced ">"');
    return parseAddrSpec(s, field, options, '');
  }
  if (!s.endsWith('>'))
    fail(field, raw, 'text after ">" (lists and trailing text are not accepted)');
  const spec = s.slice(lt + 1, -1);
  if (spec.includes('<') || spec.includes('>')) fail(field, raw, 'nested angle brackets');
  if (spec.startsWith('@')) fail(field, raw, 'source routes are not accepted');
  const name = parseDisplayName(s.slice(0, lt).trim(), field, raw);
  return parseAddrSpec(spec.trim(), field, options, name);
}

/** A display name in a string: a quoted-string, or words of atext, spaces and dots. */
function parseDisplayName(phrase: string, field: string, raw: string): string {
  if (phrase === '') return '';
  if (phrase.startsWith('"')) {
    const end = quotedEnd(phrase, 0);
    if (end === -1) fail(field, raw, 'unterminated quoted display name');
    if (end !== phrase.length) fail(field, raw, 'text outside the quoted display name');
    // RFC 5322 §3.2.4: a backslash quotes the character after it.
    return phrase.slice(1, -1).replace(QUOTED_PAIR, '$1');
  }
  // Unquoted: the specials ( ) < > [ ] : ; @ \ , " would change the structure.
  for (const c of phrase) {
    if ('()<>[]:;@\\,"'.includes(c)) {
      fail(field, raw, `display name contains "${c}"; quote it or pass { name, address }`);
    }
  }
  return phrase;
}

/** Parses `local@domain` (no CFWS, no literals) and builds the Mailbox. */
export function parseAddrSpec(
  spec: string,
  field: string,
  options: ParseOptions,
  name: string,
): Mailbox {
  if (spec.length > MAX_ADDRESS_INPUT)
    fail(field, spec, `longer than ${MAX_ADDRESS_INPUT} characters`);
  refuseUnsafe(spec, field, 'INVALID_ADDRESS');
  if (hasDefaultIgnorableOrBidi(spec))
    fail(field, spec, 'contains invisible or bidi-control characters');
  const at = spec.lastIndexOf('@');
  if (at <= 0) fail(field, spec, at === 0 ? 'the local part is empty' : 'no "@"');
  const local = spec.slice(0, at);
  const domainIn = spec.slice(at + 1);
  let localOnWire: string;
  if (local.startsWith('"')) {
    localOnWire = checkQuotedLocal(local, field, spec);
  } else {
    if (local.includes('@')) fail(field, spec, 'more than one "@"');
    checkDotAtomLocal(local, field, spec, options);
    localOnWire = local;
  }
  if (local.startsWith('-') || local.startsWith('"-'))
    fail(field, spec, 'a leading "-" could be read as a command-line option');
  const utf8 = /[^\x00-\x7f]/.test(localOnWire);
  if (utf8 && !options.smtputf8) {
    fail(
      field,
      spec,
      'a non-ASCII local part needs SMTPUTF8 (set smtputf8: true)',
      'SMTPUTF8_REQUIRED',
    );
  }
  // The domain is ASCII (A-labels), so only a UTF-8 local part makes octets differ from length.
  if ((utf8 ? Buffer.byteLength(localOnWire) : localOnWire.length) > MAX_LOCAL_PART)
    fail(field, spec, `the local part is longer than ${MAX_LOCAL_PART} octets`);
  const d = toAsciiDomain(domainIn);
  if (!d.ok) fail(field, spec, d.reason);
  const address = `${localOnWire}@${d.ascii}`;
  if ((utf8 ? Buffer.byteLength(address) : address.length) > MAX_ADDRESS)
    fail(field, spec, `longer than ${MAX_ADDRESS} octets`);
  if (
    !localOnWire.startsWith('"') &&
    (!EMAIL_TLD.test(d.ascii.slice(d.ascii.lastIndexOf('.') + 1)) ||
      (utf8 && !EMAIL_UTF8_LOCAL.test(localOnWire)))
  ) {
    fail(field, spec, 'not a valid addr-spec');
  }
  return { name, localPart: localOnWire, domain: d.ascii, address, utf8 };
}

function checkDotAtomLocal(
  local: string,
  field: string,
  spec: string,
  options: ParseOptions,
): void {
  // The common case in one test: ASCII atoms joined by single dots.
  if (ASCII_DOT_ATOM.test(local) && !local.includes('=?')) return;
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    fail(field, spec, 'the local part has a leading, trailing or doubled dot');
  }
  // Lenient parsers decode encoded-words in addresses (=?utf-8?q?a=40b?=c → a@bc): refuse.
  if (local.includes('=?')) fail(field, spec, 'the local part looks like an RFC 2047 encoded-word');
  for (const atom of local.split('.')) {
    if (ATEXT.test(atom)) continue;
    if (options.smtputf8 || /[^\x00-\x7f]/.test(atom)) {
      // UTF-8 atext (RFC 6532 §3.2): ASCII specials still excluded.
      if (!/[\s"(),:;<>@[\\\]]/.test(atom)) continue;
    }
    fail(field, spec, 'the local part contains characters that need quoting');
  }
}

/**
 * A quoted local part is accepted only when its content has no specials that
 * could re-route or split the address on a lenient parser (no @ < > , ; : ( ) [ ] or spaces).
 * Escaped quotes and backslashes are kept. Returns the wire form.
 */
function checkQuotedLocal(local: string, field: string, spec: string): string {
  if (!local.endsWith('"') || local.length < 3) fail(field, spec, 'unterminated quoted local part');
  const inner = local.slice(1, -1);
  let content = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c === '\\') {
      const n = inner[i + 1];
      if (n !== '"' && n !== '\\')
        fail(field, spec, 'only \\" and \\\\ may be escaped in a quoted local part');
      content += n;
      i++;
    } else if (c === '"') {
      fail(field, spec, 'unescaped quote inside the quoted local part');
    } else if ('@<>,;:()[] \t%'.includes(c)) {
      fail(field, spec, `the quoted local part contains "${c}"`);
    } else {
      content += c;
    }
  }
  // Python's email package decodes an encoded-word even inside the quotes ("=?utf-8?q?x?="@a
  // reads as x@a), and without them it is the look-alike dot-atoms are refused for.
  if (content.includes('=?'))
    fail(field, spec, 'the local part looks like an RFC 2047 encoded-word');
  // Quoting that is not needed is dropped: "abc"@x is abc@x.
  if (ATEXT.test(content)) return content;
  return `"${content.replace(/[\\"]/g, '\\$&')}"`;
}
