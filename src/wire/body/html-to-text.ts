import { FOLD_AT } from '../limits.js';
import { HtmlToTextConverter } from './html-to-text/converter.js';

export interface HtmlToTextOptions {
  /**
   * Wrap lines at this many characters (prefixes included), breaking only at
   * whitespace, so a URL or long word is never split. `false` disables
   * wrapping. Default 78.
   */
  wordwrap?: number | false;
}

const DEFAULT_WIDTH = FOLD_AT;

/**
 * Readable plain text from HTML, for the text/plain alternative of a message.
 *
 * Block elements start new lines, paragraphs are separated by one blank line,
 * headings are underlined (`=` for h1, `-` for h2–h6), list items get `* ` or
 * `1. ` with nesting indentation, links become `text <url>` (the URL is left
 * out when the text already shows it; `mailto:` targets show the bare
 * address), images `[alt]`, table cells of a row are joined with ` | `, `<hr>`
 * is a line of dashes, `<pre>` is kept verbatim and blockquotes are prefixed
 * with `> `. script, style, head, title, template and noscript content is
 * dropped; entities are decoded; whitespace collapses as in a browser.
 *
 * The output has no trailing spaces, never two blank lines in a row, and ends
 * with exactly one newline (it is empty when the HTML shows no text). It runs
 * in time linear in the input, also for hostile input (deep nesting, huge
 * attributes or lines).
 *
 * @example
 * ```ts
 * htmlToText('<h1>Hallo</h1><p>Siehe <a href="https://example.com/x">hier</a>.</p>');
 * // 'Hallo\n=====\n\nSiehe hier <https://example.com/x>.\n'
 * ```
 */
export function htmlToText(html: string, options?: HtmlToTextOptions): string {
  if (typeof html !== 'string') throw new TypeError('htmlToText: html must be a string');
  const wrap = options?.wordwrap ?? DEFAULT_WIDTH;
  let width = Number.POSITIVE_INFINITY;
  if (wrap !== false) {
    if (typeof wrap !== 'number' || !Number.isFinite(wrap) || wrap < 1) {
      throw new RangeError('htmlToText: wordwrap must be a positive number or false');
    }
    width = Math.floor(wrap);
  }
  return new HtmlToTextConverter(html, width).run();
}
