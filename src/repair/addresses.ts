/**
 * Address fields of legacy mail → checked mailboxes. The tolerant lint reader
 * finds the mailboxes; each one then passes the strict parser, so display
 * names are re-encoded and IDN domains become A-labels. What does not pass is
 * refused, never guessed at.
 */

import { PROBLEM_TEXT } from '../lint/index.js';
import { type AddressListResult, type AddressProblem, parseAddressList } from '../read/index.js';
import type { Mailbox } from '../wire/index.js';
import {
  type AddressGroup,
  findUnsafeCodePoint,
  MailHygieneError,
  parseMailbox,
  renderAddresses,
} from '../wire/index.js';
import { refuse } from './refuse.js';
import { decodeHeaderWords } from './text.js';

/**
 * Problems the re-rendering itself removes (quoting, stray commas, `;` written
 * for `,`, a group's missing final `;`): what each mailbox is stays unambiguous,
 * and the rendered list names exactly the envelope's recipients.
 */
const RENDER_FIXES = new Set<AddressProblem>([
  'unquoted-specials',
  'trailing-comma',
  'empty-element',
  'blank-display-name',
  'semicolon-separator',
  'unterminated-group',
]);

function problemText(p: AddressProblem): string {
  return `${PROBLEM_TEXT[p]} (${p})`;
}

/** The tolerant parse of an address field's text, refusing more than `max` mailboxes before any strict parsing. */
export function readAddressList(text: string, key: string, max: number): AddressListResult {
  const list = parseAddressList(text);
  if (list.mailboxes.length > max) {
    throw new MailHygieneError(
      'TOO_MANY_RECIPIENTS',
      `${key} has ${list.mailboxes.length} addresses; the limit is ${max}`,
      { field: key },
    );
  }
  return list;
}

/** Strict mailboxes of a tolerant address list; refuses what cannot be read unambiguously. */
export function toMailboxes(list: AddressListResult, key: string): Mailbox[] {
  const bad = list.problems.find((p) => !RENDER_FIXES.has(p));
  if (bad) refuse(`invalid-address:${key}`, `${key}: ${problemText(bad)}`);
  return list.mailboxes.map((m, i) => {
    const bad1 = m.problems.find((p) => !RENDER_FIXES.has(p));
    if (bad1) {
      // Without an `@` the address is the local part alone (`john-bigboote`), not `john-bigboote@`.
      const shown = m.address.includes('@') && m.domain !== '' ? m.address : m.local;
      refuse(`invalid-address:${key}`, `${key}: ${JSON.stringify(shown)}: ${problemText(bad1)}`);
    }
    // RFC 2047 words are not decoded inside quotes (§5), but legacy mail puts them there.
    const name = decodeHeaderWords(m.displayName).trim();
    try {
      return parseMailbox({ name, address: m.address }, `${key}[${i}]`, { smtputf8: false });
    } catch (e) {
      if (e instanceof MailHygieneError) refuse(`invalid-address:${key}`, e.message, e);
      throw e;
    }
  });
}

/**
 * The field re-rendered from its strict mailboxes (`boxes[i]` is
 * `list.mailboxes[i]`), groups kept: `undisclosed-recipients:;` stays as it is
 * (RFC 5322 §3.4; its members, if any, are recipients like any other).
 */
export function renderAddressField(
  fieldName: string,
  list: AddressListResult,
  boxes: readonly Mailbox[],
): string {
  const entries: Array<Mailbox | AddressGroup> = [];
  const groups = new Map<string, Mailbox[]>();
  const groupName = (raw: string) => {
    const name = decodeHeaderWords(raw).trim();
    if (findUnsafeCodePoint(name) !== -1)
      refuse(
        `invalid-address:${fieldName.toLowerCase()}`,
        `${fieldName}: a group name decodes to a line break or control character`,
      );
    return name;
  };
  list.mailboxes.forEach((m, i) => {
    if (m.group === undefined) {
      entries.push(boxes[i]!);
      return;
    }
    let members = groups.get(m.group);
    if (!members) {
      members = [];
      groups.set(m.group, members);
      entries.push({ group: groupName(m.group), mailboxes: members });
    }
    members.push(boxes[i]!);
  });
  // Empty groups have no mailbox to mark their place: they follow the rest.
  for (const g of list.groups) {
    if (!groups.has(g)) entries.push({ group: groupName(g), mailboxes: [] });
  }
  return renderAddresses(fieldName, entries);
}

/**
 * Counts the addresses of an address-list in one linear pass: top-level
 * comma-separated elements holding an `@` outside quotes and comments. Used to
 * refuse floods before the tolerant parser (which is not linear) sees them.
 */
function countAddresses(text: string): number {
  let count = 0;
  let at = false;
  let quoted = false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c && (quoted || depth > 0)) i++;
    else if (quoted) {
      if (c === 0x22) quoted = false;
    } else if (depth > 0) {
      if (c === 0x28) depth++;
      else if (c === 0x29) depth--;
    } else if (c === 0x22) quoted = true;
    else if (c === 0x28) depth++;
    else if (c === 0x40) at = true;
    else if (c === 0x2c) {
      if (at) count++;
      at = false;
    }
  }
  return at ? count + 1 : count;
}

/** Throws TOO_MANY_RECIPIENTS when To, Cc and Bcc together name more than `max` addresses. */
export function refuseRecipientFlood(
  fields: ReadonlyArray<{ key: string; text: string }>,
  max: number,
): void {
  let n = 0;
  for (const f of fields) {
    n += countAddresses(f.text);
    if (n > max) {
      throw new MailHygieneError(
        'TOO_MANY_RECIPIENTS',
        `the message names more than ${max} recipients (${f.key} reached the limit); send in batches`,
        { field: f.key },
      );
    }
  }
}
