/**
 * A tolerant RFC 5322 address-list reader for lint. It does not decide what
 * an address "means"; it reports how the text deviates from the grammar so
 * the rules can say what is wrong. (Strict parsing of input lives in
 * src/wire/address/.)
 */
import {
  blankQuotedStrings,
  findTopLevel,
  MAX_ENCODED_WORD,
  stripComments,
} from '../wire/index.js';

export type AddressProblem =
  | 'unbalanced-angle'
  | 'whitespace-in-angle'
  | 'whitespace-in-address'
  | 'missing-local-part'
  | 'missing-domain'
  | 'no-address'
  | 'blank-display-name'
  | 'obs-route'
  | 'unquoted-specials'
  | 'junk-after-address'
  | 'trailing-comma'
  | 'empty-element'
  | 'unterminated-quote'
  | 'invalid-local-part'
  | 'invalid-domain'
  /** `a@x; b@y`: a `;` outside a group (Outlook's separator); strict readers drop what follows. */
  | 'semicolon-separator'
  /** `a@x:b@y`: the text before `:` is no phrase, so it is not a group (RFC 5322 §3.4). */
  | 'invalid-group-name'
  /** `Team: a@x` without the closing `;` at the end of the field. */
  | 'unterminated-group'
  /** `A: a@x, B: b@y;`: a group inside a group (RFC 5322 §3.4 has none). */
  | 'nested-group';

export interface LintMailbox {
  /** Display name as written (quotes removed, encoded-words not decoded). */
  displayName: string;
  /** The display-name text exactly as written. */
  rawDisplayName: string;
  local: string;
  domain: string;
  /** `local@domain` as written. */
  address: string;
  localQuoted: boolean;
  /** Group name when the mailbox is in a group. */
  group?: string;
  problems: AddressProblem[];
}

export interface AddressListResult {
  mailboxes: LintMailbox[];
  /** Group names (e.g. `undisclosed-recipients`), including empty groups. */
  groups: string[];
  /** Problems not tied to one mailbox. */
  problems: AddressProblem[];
}

const SPECIALS = '()<>[]:;@\\,."';
const ATEXT = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\uffff]+$/;

/** Splits at top-level `sep` chars, honouring quotes, comments and angle brackets. */
function splitTop(s: string, seps: string): Array<{ text: string; sep: string }> {
  const out: Array<{ text: string; sep: string }> = [];
  let angle = false;
  let from = 0;
  findTopLevel(s, (c, i) => {
    if (c === '<') angle = true;
    else if (c === '>') angle = false;
    else if (!angle && seps.includes(c)) {
      out.push({ text: s.slice(from, i), sep: c });
      from = i + 1;
    }
    return false;
  });
  out.push({ text: s.slice(from), sep: '' });
  return out;
}

/** Index of `ch` outside quoted strings and comments, or -1. */
function topIndexOf(s: string, ch: string): number {
  return findTopLevel(s, (c) => c === ch);
}

/** Parses `local@domain` (comments already removed). */
function parseAddrSpec(spec: string, problems: AddressProblem[]) {
  let quoted = false;
  let at = -1;
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (c === '@' && !quoted) at = i;
  }
  if (quoted) problems.push('unterminated-quote');
  if (at === -1) {
    problems.push('no-address');
    return { local: spec, domain: '', localQuoted: false };
  }
  const local = spec.slice(0, at);
  const domain = spec.slice(at + 1);
  const localQuoted = local.startsWith('"') && local.endsWith('"') && local.length >= 2;
  if (local === '') problems.push('missing-local-part');
  else if (!localQuoted && !local.split('.').every((a) => ATEXT.test(a))) {
    problems.push(/\s/.test(local) ? 'whitespace-in-address' : 'invalid-local-part');
  }
  if (domain === '') problems.push('missing-domain');
  else if (
    !(domain.startsWith('[') && domain.endsWith(']')) &&
    !domain.split('.').every((a) => ATEXT.test(a))
  ) {
    problems.push(/\s/.test(domain) ? 'whitespace-in-address' : 'invalid-domain');
  }
  return { local, domain, localQuoted };
}

function hasUnquotedSpecials(phrase: string): boolean {
  return (
    findTopLevel(phrase, (c, i) => {
      if (!SPECIALS.includes(c)) return false;
      // `.` inside an encoded-word is not a special.
      // Only the last MAX_ENCODED_WORD characters: over the whole prefix this
      // was quadratic in the dots.
      const before = phrase.slice(Math.max(0, i - MAX_ENCODED_WORD), i);
      return !(c === '.' && /=\?[^?\s]*\?[bqBQ]\?[^?\s]*$/.test(before));
    }) !== -1
  );
}

function unquote(s: string): string {
  const t = s.trim();
  if (t.startsWith('"') && t.endsWith('"') && t.length >= 2)
    return t.slice(1, -1).replace(/\\(.)/g, '$1');
  return t;
}

function parseMailbox(text: string, group?: string): LintMailbox {
  const problems: AddressProblem[] = [];
  const ltAt = topIndexOf(text, '<');
  let display = '';
  let spec: string;
  if (ltAt !== -1) {
    display = text.slice(0, ltAt);
    const rest = text.slice(ltAt + 1);
    const gt = rest.indexOf('>');
    let inner: string;
    if (gt === -1) {
      problems.push('unbalanced-angle');
      inner = rest;
    } else {
      inner = rest.slice(0, gt);
      const after = stripComments(rest.slice(gt + 1)).trim();
      if (after !== '')
        problems.push(after.includes('>') ? 'unbalanced-angle' : 'junk-after-address');
    }
    if (inner !== inner.trim()) problems.push('whitespace-in-angle');
    inner = stripComments(inner).trim();
    const route = /^@[^:]*:/.exec(inner);
    if (route) {
      problems.push('obs-route');
      inner = inner.slice(route[0].length);
    }
    spec = inner;
    if (display.trim() === '""') problems.push('blank-display-name');
    if (hasUnquotedSpecials(display)) problems.push('unquoted-specials');
  } else {
    if (text.includes('>')) problems.push('unbalanced-angle');
    spec = stripComments(text).trim();
    if (/\s/.test(blankQuotedStrings(spec))) {
      problems.push('whitespace-in-address');
      // `Name a@b` without brackets: keep the last word as the address.
      spec = spec.split(/\s+/).pop() ?? '';
    }
  }
  if (spec === '' && ltAt !== -1) problems.push('missing-local-part');
  const { local, domain, localQuoted } =
    spec === '' && ltAt !== -1
      ? { local: '', domain: '', localQuoted: false }
      : parseAddrSpec(spec, problems);
  const mb: LintMailbox = {
    displayName: unquote(stripComments(display)),
    rawDisplayName: display.trim(),
    local,
    domain,
    address: local === '' && domain === '' ? '' : `${local}@${domain}`,
    localQuoted,
    problems,
  };
  if (group !== undefined) mb.group = group;
  return mb;
}

/**
 * Reads an address-list field body (unfolded text).
 *
 * @example parseAddressList('Doe, John <j@example.com>').mailboxes[0]!.problems // ['unquoted-specials']
 */
export function parseAddressList(value: string): AddressListResult {
  const result: AddressListResult = { mailboxes: [], groups: [], problems: [] };
  // Groups: `name: a, b;` — split off at top-level ':' / ';'.
  const segments = splitTop(value, ':;');
  let group: string | undefined;
  let pendingPrefix = '';
  for (const seg of segments) {
    if (seg.sep === ':') {
      const before = splitTop(pendingPrefix + seg.text, ',');
      const name = before.pop()!.text;
      for (const e of before) addElements(result, e.text, undefined, false);
      if (group !== undefined) result.problems.push('nested-group');
      group = unquote(stripComments(name));
      if (!isGroupName(name)) result.problems.push('invalid-group-name');
      result.groups.push(group);
      pendingPrefix = '';
      continue;
    }
    const text = pendingPrefix + seg.text;
    pendingPrefix = '';
    addElements(result, text, group, seg.sep === '');
    if (seg.sep === ';') {
      if (group === undefined) result.problems.push('semicolon-separator');
      group = undefined;
    }
  }
  if (group !== undefined) result.problems.push('unterminated-group');
  return result;
}

/** A group's display-name is a phrase: words, quoted strings and comments, no `@ < > , [ ]`. */
function isGroupName(name: string): boolean {
  const text = stripComments(name).trim();
  if (text === '') return false;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if ('@<>,[]'.includes(c)) return false;
  }
  return !quoted;
}

function addElements(
  result: AddressListResult,
  text: string,
  group: string | undefined,
  last: boolean,
) {
  const elems = splitTop(text, ',');
  for (let i = 0; i < elems.length; i++) {
    const raw = elems[i]!.text;
    if (stripComments(raw).trim() === '') {
      if (elems.length === 1) continue;
      if (i === elems.length - 1 && last && group === undefined)
        result.problems.push('trailing-comma');
      else if (i !== elems.length - 1) result.problems.push('empty-element');
      continue;
    }
    const mb = parseMailbox(raw, group);
    // `Doe, John <j@x>`: an address-less word followed by a named mailbox is a
    // display name split at an unquoted comma.
    const next = elems[i + 1]?.text;
    if (mb.problems.includes('no-address') && !raw.includes('<') && next?.includes('<')) {
      const merged = parseMailbox(`${raw},${next}`, group);
      if (!merged.problems.includes('unquoted-specials')) merged.problems.push('unquoted-specials');
      result.mailboxes.push(merged);
      i++;
      continue;
    }
    result.mailboxes.push(mb);
  }
}
