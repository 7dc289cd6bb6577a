/** Renders From/To/Cc/Reply-To/Sender from checked mailboxes. */
import type { Mailbox } from '../address/mailbox.js';
import { encodeWords, looksLikeEncodedWord, MIN_ENCODED_WORD } from './encoded-word.js';
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
  for (const w of encodeWords(name, b.room(MIN_ENCODED_WORD))) b.add(' ', w);
}

/**
 * `To: Erika <erika@example.org>, <bob@example.org>` with folding between
 * mailboxes and inside display names. A mailbox without a display name is
 * written as an angle-addr too (RFC 5322 §3.4 name-addr without the optional
 * display-name): SpamAssassin's TO_NO_BRKTS_* rules score a bare addr-spec.
 */
export function renderAddressList(fieldName: string, mailboxes: readonly Mailbox[]): string {
  // Display names may be encoded-words, whose lines are limited to 76 (RFC 2047 §2).
  const b = new HeaderBuilder(fieldName, MAX_ENCODED_LINE);
  const last = mailboxes.length - 1;
  mailboxes.forEach((m, i) => {
    if (m.name !== '') addDisplayName(b, m.name);
    // The comma is part of the word so that the line length counts it.
    b.add(' ', i < last ? `<${m.address}>,` : `<${m.address}>`);
  });
  return b.toString();
}
