/** Renders From/To/Cc/Reply-To/Sender from checked mailboxes. */
import type { Mailbox } from '../address/mailbox.js';
import { encodeWords, looksLikeEncodedWord } from './encoded-word.js';
import { HeaderBuilder, MAX_ENCODED_LINE } from './fold.js';

const ATOM_PHRASE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?: [A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/** Adds the words of one display name to the builder. */
function addDisplayName(b: HeaderBuilder, name: string): void {
  if (ATOM_PHRASE.test(name) && !looksLikeEncodedWord(name)) {
    for (const w of name.split(' ')) b.add(' ', w);
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
    b.add(' ', `"${name.replace(/[\\"]/g, '\\$&')}"`);
    return;
  }
  for (const w of encodeWords(name, b.remaining)) b.add(' ', w);
}

/** Adds one mailbox (`name <addr>` or a bare addr) to the builder. */
function addMailbox(b: HeaderBuilder, m: Mailbox): void {
  if (m.name === '') {
    b.add(' ', m.address);
  } else {
    addDisplayName(b, m.name);
    b.add(' ', `<${m.address}>`);
  }
}

/**
 * `To: Erika <erika@example.org>, bob@example.org` with folding between
 * mailboxes and inside display names.
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
  entries.forEach((e, i) => {
    if (i > 0) b.append(',');
    if (!('group' in e)) {
      addMailbox(b, e);
      return;
    }
    addDisplayName(b, e.group);
    b.append(':');
    e.mailboxes.forEach((m, k) => {
      if (k > 0) b.append(',');
      addMailbox(b, m);
    });
    b.append(';');
  });
  return b.toString();
}
