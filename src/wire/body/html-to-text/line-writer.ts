/**
 * Builds the plain-text output line by line: word wrapping, line prefixes
 * (list markers, indentation, `> ` quote markers), and the blank-line rules.
 *
 * Line breaks are requested lazily (`breakLines`) and only materialise when
 * the next content arrives. That is what keeps the output free of leading,
 * trailing and doubled blank lines without a clean-up pass, and it lets a
 * link's URL still join the line its text ended on.
 */

/** One level of line prefix: a list item, a blockquote, a `<dd>` indent. */
interface PrefixFrame {
  /** Prefix of the frame's first content line (`'* '`, `'12. '`, `'> '`). */
  first: string;
  /** Prefix of every later line (spaces as wide as the marker, or `'> '`). */
  rest: string;
  /** True once `first` has been written. */
  used: boolean;
  /** Blockquote frames keep their marker on blank lines (`>`). */
  quote: boolean;
}

/**
 * Hostile input can nest lists or quotes thousands deep; past this depth new
 * frames add no prefix, so a line's prefix stays bounded (and the output
 * linear in the input).
 */
const MAX_PREFIX_FRAMES = 12;

export class LineWriter {
  private out = '';
  /** The line being built, prefix included. */
  private line = '';
  private prefixLen = 0;
  private lineOpen = false;
  private lineHasContent = false;
  /** The line may end in a space or tab (nbsp, <pre>): trim it when it ends. */
  private mayEndBlank = false;
  /** Index of the last space in `line` after the prefix, or -1. */
  private lastSpace = -1;
  /** Newlines wanted before the next content: 0, 1 (line break) or 2 (blank line). */
  private pending = 0;
  /** Whether any content line has been written (no blank lines before it). */
  private started = false;
  /**
   * A blank line waiting for the next content line (its quote markers), or
   * null. Written only when content follows, so the output never ends with
   * or doubles a blank line.
   */
  private blank: string | null = null;
  private readonly frames: PrefixFrame[] = [];
  /** Frames refused because of MAX_PREFIX_FRAMES; popped without effect. */
  private overflowFrames = 0;
  /** Whitespace was seen since the last word on this line. */
  space = false;
  /** A table cell started: the next word on the same line gets ` | ` before it. */
  cellSeparator = false;
  private tracking = false;
  private trackedWidth = 0;
  /** Serial number of the open line; tracking only counts lines opened after it started. */
  private lineNo = 0;
  private trackAfter = 0;

  constructor(private readonly width: number) {}

  /** Ask for `n` newlines (1 = new line, 2 = blank line) before the next content. */
  breakLines(n: 1 | 2): void {
    if (n > this.pending) this.pending = n;
    this.space = false;
    this.cellSeparator = false;
  }

  /** `<br>` and newlines in `<pre>`: each one adds a newline, up to one blank line. */
  hardBreak(): void {
    if (this.lineHasContent || this.pending > 0) {
      this.pending = this.pending >= 1 ? 2 : 1;
    } else if (this.started) {
      // An empty line right after a finished line (e.g. after a heading rule).
      this.pending = 2;
    }
    this.space = false;
    this.cellSeparator = false;
  }

  /**
   * Append collapsed text: single spaces, none at either end. `spaceBefore`
   * says whether whitespace separated it from what the line already holds
   * (none means it is glued on: `<b>foo</b>bar`). Lines wrap at spaces only,
   * so a URL or a long word is never split; if glued text overflows, the
   * break moves back to the last space already on the line.
   */
  text(t: string, spaceBefore: boolean): void {
    if (this.pending > 0 || !this.lineOpen) this.startLine();
    // A new table cell: ` | ` before its text, or a line break if it does not fit.
    let sep = !this.lineHasContent ? '' : this.cellSeparator ? ' | ' : spaceBefore ? ' ' : '';
    this.cellSeparator = false;
    this.lineHasContent = true;
    // The line may still end blank (<pre> spaces) if `t` wraps to the next
    // line: the flag is cleared only once `t` lands on it.
    for (;;) {
      const room = this.width - this.line.length - sep.length;
      if (t.length <= room) {
        this.put(sep, t);
        this.mayEndBlank = false;
        return;
      }
      // Break at the last space that still fits.
      const cut = room > 0 ? t.lastIndexOf(' ', room) : -1;
      if (cut > 0) {
        this.put(sep, t.slice(0, cut));
        t = t.slice(cut + 1);
      } else if (sep !== '' && this.line.length > this.prefixLen) {
        // Nothing of `t` fits: break before it.
      } else {
        const back = sep === '' ? this.lastSpace : -1;
        if (back >= this.prefixLen && back > 0 && this.line.length > back + 1) {
          // Glued on: carry the line's last (partial) word over.
          const tail = this.line.slice(back + 1);
          this.line = this.line.slice(0, back);
          this.newLine();
          this.line += tail;
          continue;
        }
        // A word longer than the line: it gets a line of its own, unbroken.
        const end = t.indexOf(' ');
        if (end < 0) {
          this.put(sep, t);
          this.mayEndBlank = false;
          return;
        }
        this.put(sep, t.slice(0, end));
        t = t.slice(end + 1);
      }
      this.newLine();
      sep = '';
    }
  }

  /**
   * Append `sep + piece`, remembering where the line's last space is, so a
   * glued overflow finds its break point without rescanning the line (which
   * would be quadratic for a huge word fed one character at a time).
   */
  private put(sep: string, piece: string): void {
    const i = piece.lastIndexOf(' ');
    if (i >= 0) this.lastSpace = this.line.length + sep.length + i;
    // Separators (' ' or ' | ') end with a space.
    else if (sep !== '') this.lastSpace = this.line.length + sep.length - 1;
    this.line = this.line + sep + piece;
  }

  /** Wrap: end the line, open the next with the continuation prefix. */
  private newLine(): void {
    this.endLine();
    this.openLine();
    this.lineHasContent = true;
  }

  /** Append text verbatim, never wrapped (`<pre>` content). */
  raw(text: string): void {
    if (this.pending > 0 || !this.lineOpen) this.startLine();
    this.put('', text);
    this.lineHasContent = true;
    this.mayEndBlank = endsBlank(text);
  }

  /**
   * Write a line made of `char` (`<hr>`), `length` long but not wider than
   * the wrap width allows after the prefix.
   */
  rule(char: string, length: number): void {
    if (this.lineOpen && this.pending === 0) this.pending = 1;
    this.startLine();
    this.fill(char, length);
  }

  /** Underline the line just written (heading), directly below it. */
  underline(char: string, length: number): void {
    this.pending = 1;
    this.startLine();
    this.fill(char, length);
  }

  private fill(char: string, length: number): void {
    const room = this.width - this.prefixLen;
    const n = Math.max(3, Math.min(length, room));
    this.line += char.repeat(n);
    this.lineHasContent = true;
  }

  /** Start measuring the widest content line (for a heading's underline). */
  startTracking(): void {
    this.tracking = true;
    this.trackedWidth = 0;
    // The open line (if any) belongs to the preceding block: lines are lazy.
    this.trackAfter = this.lineNo;
  }

  /** Stop measuring; returns the widest content line, in code points. */
  stopTracking(): number {
    if (this.lineOpen && this.lineHasContent && this.lineNo > this.trackAfter) this.track();
    this.tracking = false;
    return this.trackedWidth;
  }

  /**
   * Push a prefix frame. Past the depth cap the frame is refused silently;
   * the caller still calls `popFrame` once, which then only undoes the refusal.
   */
  pushFrame(first: string, rest: string, quote: boolean): void {
    if (this.frames.length >= MAX_PREFIX_FRAMES) {
      this.overflowFrames++;
      return;
    }
    this.frames.push({ first, rest, used: false, quote });
  }

  popFrame(): void {
    if (this.overflowFrames > 0) this.overflowFrames--;
    else this.frames.pop();
  }

  /** The finished text: lines joined with `\n`, ending with one `\n` (or empty). */
  finish(): string {
    if (this.lineOpen) this.endLine();
    return this.out;
  }

  private startLine(): void {
    if (this.lineOpen) this.endLine();
    if (this.started && this.pending === 2 && this.blank === null) {
      this.blank = blankLinePrefix(this.frames);
    }
    this.pending = 0;
    this.openLine();
  }

  private openLine(): void {
    let prefix = '';
    for (const f of this.frames) {
      if (f.used) prefix += f.rest;
      else {
        prefix += f.first;
        f.used = true;
      }
    }
    this.line = prefix;
    this.lastSpace = -1;
    this.lineNo++;
    this.prefixLen = prefix.length;
    this.lineOpen = true;
    this.lineHasContent = false;
    this.mayEndBlank = false;
    this.space = false;
  }

  private endLine(): void {
    this.lineOpen = false;
    if (this.tracking && this.lineHasContent && this.lineNo > this.trackAfter) this.track();
    // Reading a line built by `+=` flattens it; only do that when needed.
    const text = this.mayEndBlank ? trimTrailingBlanks(this.line) : this.line;
    if (!this.lineHasContent) return;
    if (text.length <= this.prefixLen && isOnlyPrefix(text)) {
      // A content line that turned out blank (spaces in <pre>): count it as blank.
      if (this.started && this.blank === null) this.blank = blankLinePrefix(this.frames);
      return;
    }
    if (this.blank !== null) {
      this.out += this.blank + '\n';
      this.blank = null;
    }
    this.out += text + '\n';
    this.started = true;
  }

  private track(): void {
    const w = codePointLength(this.line, this.prefixLen);
    if (w > this.trackedWidth) this.trackedWidth = w;
  }
}

/** Blank lines inside a blockquote keep the quote markers (`>`), nothing else. */
function blankLinePrefix(frames: PrefixFrame[]): string {
  let p = '';
  for (const f of frames) if (f.used && f.quote) p += '>';
  return p;
}

function endsBlank(s: string): boolean {
  const c = s.charCodeAt(s.length - 1);
  return c === 0x20 || c === 0x09;
}

function isOnlyPrefix(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x3e && c !== 0x20) return false;
  }
  return true;
}

/** Trailing spaces and tabs are invisible and some transports mangle them. */
function trimTrailingBlanks(s: string): string {
  let end = s.length;
  while (end > 0) {
    const c = s.charCodeAt(end - 1);
    if (c !== 0x20 && c !== 0x09) break;
    end--;
  }
  return end === s.length ? s : s.slice(0, end);
}

function codePointLength(s: string, from: number): number {
  let n = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Count a surrogate pair once.
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}
