/** Renders From/To/Cc/Reply-To/Sender from checked mailboxes. */
import type { Mailbox } from '../address/mailbox.js';
import { MAX_ENCODED_LINE } from '../limits.js';
import { encodeWords, looksLikeEncodedWord, MIN_ENCODED_WORD } from './encoded-word.js';
import { HeaderBuilder } from './fold.js';

const ATOM_PHRASE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?: [A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/**
 * Adds the words of one display name to the builder; `suffix` (the `:` of a
 * group) stays attached to the last word so the line length counts it.
 */
function addDisplayName(b: HeaderBuilder, name: string, suffix = ''): void {
  if (ATOM_PHRASE.test(name) && !looksLikeEncodedWord(name)) {
    const words = name.split(' ');
    words.forEach((w, i) => {
      b.add(' ', i === words.length - 1 ? w + suffix : w);
    });
    return;
  }
  // Printable ASCII with specials: a quoted-string keeps it exact and readable.
  if (
    /^[\x20-\x7e]*$/.test(name) &&
    !looksLikeEncodedWord(name) &&
    name.length <= 200 &&
    name.trim() === name &&
    !name.includes('  ')
  ) {
    b.add(' ', `"${name.replace(/[\\"]/g, '\\$&')}"${suffix}`);
    return;
  }
  for (const w of encodeWords(name, b.room(MIN_ENCODED_WORD))) b.add(' ', w);
  // An encoded-word may fill its line (RFC 2047 §2): the suffix goes after CFWS
  // (RFC 5322 §3.4 allows it before a group's `:`).
  if (suffix !== '') b.add(' ', suffix);
}

/** Adds one mailbox as `name <addr>` or `<addr>`, `suffix` (`,` or `;`) attached. */
function addMailbox(b: HeaderBuilder, m: Mailbox, suffix: string): void {
  if (m.name !== '') addDisplayName(b, m.name);
  b.add(' ', `<${m.address}>${suffix}`);
}

/**
 * `To: Erika <erika@example.org>, <bob@example.org>` with folding between
 * mailboxes and inside display names. A mailbox without a display name is
 * written as an angle-addr too (RFC 5322 §3.4 name-addr without the optional
 * display-name): SpamAssassin's TO_NO_BRKTS_* rules score a bare addr-spec.
 */
export function renderAddressList(fieldName: string, mailboxes: readonly Mailbox[]): string {
  return renderAddresses(fieldName, mailboxes);
}

/** A named group of mailboxes; an empty one (`undisclosed-recipients:;`) names nobody. */
export interface AddressGroup {
  readonly group: string;
  readonly mailboxes: readonly Mailbox[];
}

/**
 * An address-list of mailboxes and groups in order (RFC 5322 §3.4):
 * `To: undisclosed-recipients:;` or `Cc: Team: a@example.org, b@example.org;, c@example.org`.
 */
export function renderAddresses(
  fieldName: string,
  entries: ReadonlyArray<Mailbox | AddressGroup>,
): string {
  // Display names may be encoded-words, whose lines are limited to 76 (RFC 2047 §2).
  const b = new HeaderBuilder(fieldName, MAX_ENCODED_LINE);
  const lastEntry = entries.length - 1;
  entries.forEach((e, i) => {
    // Separators are part of the word before them, so the line length counts them.
    const after = i < lastEntry ? ',' : '';
    if (!('group' in e)) {
      addMailbox(b, e, after);
      return;
    }
    if (e.mailboxes.length === 0) {
      addDisplayName(b, e.group, `:;${after}`);
      return;
    }
    addDisplayName(b, e.group, ':');
    const lastMember = e.mailboxes.length - 1;
    e.mailboxes.forEach((m, k) => {
      addMailbox(b, m, k < lastMember ? ',' : `;${after}`);
    });
  });
  return b.toString();
}
