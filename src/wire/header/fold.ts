/**
 * Header line building with folding. A fold (CRLF + the whitespace that was
 * already there) is only inserted where a space separates two words, so the
 * unfolded value is exactly what was written (RFC 5322 §2.2.3).
 *
 * Every character that ends up on a line is counted before the line is
 * chosen: a separator that must stay attached to a word (the `,` after a
 * mailbox, the `;` after a parameter) is part of the word given to
 * {@link HeaderBuilder.add}, never appended afterwards. Lengths are octets
 * (RFC 5322 §2.1.1, RFC 6532 §3.4: an SMTPUTF8 address counts its UTF-8 bytes).
 * Lines are folded at {@link FOLD_AT}, or at {@link MAX_ENCODED_LINE} where
 * they hold encoded-words (the callers pass it).
 */
import { FOLD_AT } from '../limits.js';

const NON_ASCII = /[^\x00-\x7f]/;

/** Length of `s` on the wire in octets (UTF-8). */
function octets(s: string): number {
  return NON_ASCII.test(s) ? Buffer.byteLength(s, 'utf8') : s.length;
}

export class HeaderBuilder {
  private readonly lines: string[] = [];
  private current: string;
  /** Octets of `current`. */
  private length: number;
  private hasWord = false;

  constructor(
    name: string,
    private readonly foldAt = FOLD_AT,
  ) {
    this.current = `${name}:`;
    this.length = octets(this.current);
  }

  /**
   * Octets a word may have to follow a one-space separator on the current
   * line. When fewer than `min` are left, the word will start a continuation
   * line instead, and the room of a whole continuation line is returned.
   */
  room(min = 1): number {
    const left = this.foldAt - this.length - 1;
    return left >= min ? left : this.foldAt - 1;
  }

  /**
   * Appends `word` after the whitespace `sep` (at least one space or tab),
   * folding before it when the line would pass the limit. Before the first
   * word the fold goes right after the colon (`Name:` CRLF ` word`, RFC 5322
   * §2.2.3), but only when that makes the word fit: a long field name must
   * not push the first word past the limit.
   */
  add(sep: string, word: string): this {
    const size = sep.length + octets(word);
    const fold = this.length + size > this.foldAt && (this.hasWord || size <= this.foldAt);
    if (fold) {
      this.lines.push(this.current);
      this.current = sep + word;
      this.length = size;
    } else {
      this.current += sep + word;
      this.length += size;
    }
    this.hasWord = true;
    return this;
  }

  /** The field with CRLF line ends, ending in CRLF. */
  toString(): string {
    return this.lines.length === 0
      ? `${this.current}\r\n`
      : `${this.lines.join('\r\n')}\r\n${this.current}\r\n`;
  }
}
