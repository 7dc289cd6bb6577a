/**
 * Header line building with folding. A fold (CRLF + the whitespace that was
 * already there) is only inserted where a space separates two words, so the
 * unfolded value is exactly what was written (RFC 5322 §2.2.3).
 */
export const FOLD_AT = 78;
/** RFC 2047 §2: lines that hold encoded-words are at most 76 characters. */
export const MAX_ENCODED_LINE = 76;

export class HeaderBuilder {
  private readonly lines: string[] = [];
  private current: string;
  private hasWord = false;

  constructor(
    name: string,
    private readonly foldAt = FOLD_AT,
  ) {
    this.current = `${name}:`;
  }

  /** Characters left on the current line after a one-space separator. */
  get remaining(): number {
    return this.foldAt - this.current.length - 1;
  }

  /**
   * Appends `word` after the whitespace `sep` (at least one space or tab),
   * folding before it when the line would pass the limit.
   */
  add(sep: string, word: string): this {
    if (this.hasWord && this.current.length + sep.length + word.length > this.foldAt) {
      this.lines.push(this.current);
      this.current = sep + word;
    } else {
      this.current += sep + word;
    }
    this.hasWord = true;
    return this;
  }

  /** Appends text that may not be separated from what precedes it (e.g. `,`). */
  append(text: string): this {
    this.current += text;
    return this;
  }

  /** The field with CRLF line ends, ending in CRLF. */
  toString(): string {
    return this.lines.length === 0
      ? `${this.current}\r\n`
      : `${this.lines.join('\r\n')}\r\n${this.current}\r\n`;
  }
}
