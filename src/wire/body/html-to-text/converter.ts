import { Tokenizer } from 'htmlparser2';
import { FOLD_AT } from '../../limits.js';
import { LineWriter } from './line-writer.js';
import { allowedInHead, equalsLower, isVoid, Kind, kindOf, tagNameAt } from './tags.js';

/**
 * Streaming HTML → text conversion on htmlparser2's Tokenizer: no DOM, one
 * pass, and an element stack of our own whose operations are amortised O(1)
 * (htmlparser2's Parser keeps its stack with `unshift`/`indexOf`, which is
 * quadratic on deeply nested hostile input).
 */

type TokenizerCallbacks = ConstructorParameters<typeof Tokenizer>[1];

/** A ul/ol/dl/table/tr whose direct children close each other implicitly. */
interface Container {
  kind: Kind;
  /** Stack index of the open li/dt/dd/tr/td, or -1. */
  child: number;
  /** Next number of an ordered list. */
  counter: number;
  ordered: boolean;
  /** Cells seen in the current row (tr containers). */
  cells: number;
  /** Stack index of the container element itself. */
  index: number;
}

interface OpenLink {
  url: string;
  /** Text shown for the link so far, capped (only compared with the URL). */
  text: string;
  /** `text` holds uncollapsed `<pre>` text. */
  raw: boolean;
  stackIndex: number;
}

/** Stack-entry flags. */
const PUSHED_FRAME = 1;
const CONTAINER = 2;

/** Schemes whose targets a reader cannot use, or that are unsafe to show. */
const droppedSchemes = /^(?:javascript|vbscript|data|file|cid):/i;

export class HtmlToTextConverter implements TokenizerCallbacks {
  private readonly w: LineWriter;
  private readonly html: string;
  private readonly tokenizer: Tokenizer;

  // The element stack, as parallel arrays (cheap push/pop, no per-entry object).
  private readonly names: string[] = [];
  private readonly kinds: Kind[] = [];
  private readonly flags: number[] = [];
  /** Open elements per tag name, so a stray `</x>` is ignored in O(1). */
  private readonly openCount = new Map<string, number>();
  private readonly containers: Container[] = [];

  /** Raw text inside `<pre>`, written verbatim at the next flush. */
  private preText = '';
  private skipDepth = 0;
  private preDepth = 0;
  /** The next text in `<pre>` is the first: drop one leading newline, as browsers do. */
  private preStart = false;
  private foreignDepth = 0;
  /** Stack index of an open `<head>`, or -1. */
  private headIndex = -1;
  private link: OpenLink | null = null;
  private headingLevel = 0;
  /** Open ul/ol/menu elements (nested lists are separated by line breaks, not blank lines). */
  private listDepth = 0;

  // The tag being opened.
  private tagName = '';
  private tagKind: Kind = Kind.Inline;
  private wantAttr = '';
  private attrName = '';
  private attrValue = '';
  private collecting = false;
  private attr1: string | undefined;

  constructor(html: string, width: number) {
    this.html = html;
    this.w = new LineWriter(width);
    this.tokenizer = new Tokenizer({ decodeEntities: true }, this);
  }

  run(): string {
    this.tokenizer.write(this.html);
    this.tokenizer.end();
    return this.w.finish();
  }

  // ---- Tokenizer callbacks -------------------------------------------------

  ontext(start: number, end: number): void {
    if (this.skipDepth > 0) {
      if (!this.leaveHeadFor(this.html, start, end)) return;
    }
    if (this.preDepth > 0) this.preText += this.html.slice(start, end);
    else this.scanText(start, end);
  }

  ontextentity(codepoint: number, _end: number): void {
    if (this.skipDepth > 0) {
      if (this.headIndex < 0 || this.skipDepth !== 1) return;
      this.closeTo(this.headIndex);
    }
    const ch = String.fromCodePoint(codepoint);
    if (this.preDepth > 0) this.preText += ch;
    else this.writeText(ch);
  }

  onopentagname(start: number, end: number): void {
    const name = tagNameAt(this.html, start, end);
    this.tagName = name;
    this.tagKind = kindOf(name);
    this.attr1 = undefined;
    this.collecting = false;
    // Only the attributes we show are collected; all others are skipped unread.
    this.wantAttr = '';
    if (this.skipDepth === 0) {
      if (this.tagKind === Kind.Anchor) this.wantAttr = 'href';
      else if (this.tagKind === Kind.Image) this.wantAttr = 'alt';
      else if (this.tagKind === Kind.List && name === 'ol') this.wantAttr = 'start';
      else if (this.tagKind === Kind.ListItem) this.wantAttr = 'value';
    }
  }

  onattribname(start: number, end: number): void {
    if (this.wantAttr === '') return;
    const html = this.html;
    if (equalsLower(html, start, end, this.wantAttr)) this.attrName = this.wantAttr;
    else {
      this.collecting = false;
      return;
    }
    this.collecting = true;
    this.attrValue = '';
  }

  onattribdata(start: number, end: number): void {
    if (this.collecting) this.attrValue += this.html.slice(start, end);
  }

  onattribentity(codepoint: number): void {
    if (this.collecting) this.attrValue += String.fromCodePoint(codepoint);
  }

  onattribend(_quote: unknown, _end: number): void {
    if (!this.collecting) return;
    this.collecting = false;
    // The first occurrence of an attribute wins, as in a browser.
    if (this.attrName === this.wantAttr) this.attr1 ??= this.attrValue;
    this.attrValue = '';
  }

  onopentagend(_end: number): void {
    this.openElement(false);
  }

  onselfclosingtag(_end: number): void {
    // In HTML `<div/>` is just `<div>`; inside svg/math the slash closes it.
    this.openElement(this.foreignDepth > 0);
  }

  onclosetag(start: number, end: number): void {
    const name = tagNameAt(this.html, start, end);
    if ((this.openCount.get(name) ?? 0) === 0) {
      // Browsers turn a stray </p> into an empty paragraph and </br> into <br>.
      if (this.skipDepth > 0) return;
      if (name === 'p') {
        this.flush();
        this.w.breakLines(2);
      } else if (name === 'br') {
        this.flush();
        this.w.hardBreak();
      }
      return;
    }
    while (this.names.length > 0) {
      const popped = this.names[this.names.length - 1];
      this.pop();
      if (popped === name) break;
    }
  }

  oncomment(): void {}
  oncdata(): void {}
  ondeclaration(): void {}
  onprocessinginstruction(): void {}

  onend(): void {
    this.closeTo(0);
    this.flush();
  }

  // ---- Elements ------------------------------------------------------------

  private openElement(selfClosed: boolean): void {
    const name = this.tagName;
    const kind = this.tagKind;
    if (this.skipDepth > 0) {
      if (this.headIndex >= 0 && this.skipDepth === 1 && !allowedInHead(name)) {
        // Anything that does not belong in <head> ends an unclosed one, as in a browser.
        this.closeTo(this.headIndex);
      } else {
        // Inside hidden content only the stack bookkeeping matters.
        if (!isVoid(kind)) {
          this.push(name, kind === Kind.Skip ? Kind.Skip : Kind.Inline, 0);
          if (kind === Kind.Skip) this.skipDepth++;
          if (selfClosed) this.popIfTop(name);
        }
        return;
      }
    }
    if (isVoid(kind)) {
      this.openVoid(kind);
      return;
    }
    if (kind !== Kind.Inline && kind !== Kind.Foreign) this.flush();
    let flags = 0;
    switch (kind) {
      case Kind.Skip:
        if (name === 'head') this.headIndex = this.names.length;
        this.skipDepth++;
        break;
      case Kind.Block:
      case Kind.DefinitionTerm:
        if (kind === Kind.DefinitionTerm) this.closeSibling(Kind.DefinitionList);
        this.w.breakLines(1);
        break;
      case Kind.Paragraph:
        this.w.breakLines(2);
        break;
      case Kind.Heading:
        this.w.breakLines(2);
        this.headingLevel = name.charCodeAt(1) - 48;
        this.w.startTracking();
        break;
      case Kind.List: {
        this.w.breakLines(this.listDepth > 0 ? 1 : 2);
        this.listDepth++;
        const start = this.attr1 === undefined ? 1 : parseListNumber(this.attr1);
        this.pushContainer(kind, start ?? 1, name === 'ol');
        flags |= CONTAINER;
        break;
      }
      case Kind.ListItem: {
        const list = this.closeSibling(Kind.List);
        this.flush();
        this.w.breakLines(1);
        let marker = '* ';
        if (list?.ordered) {
          const value = this.attr1 === undefined ? undefined : parseListNumber(this.attr1);
          if (value !== undefined) list.counter = value;
          marker = `${list.counter++}. `;
        }
        this.w.pushFrame(marker, ' '.repeat(marker.length), false);
        flags |= PUSHED_FRAME;
        break;
      }
      case Kind.DefinitionList:
        this.w.breakLines(2);
        this.pushContainer(kind, 0, false);
        flags |= CONTAINER;
        break;
      case Kind.DefinitionDescription:
        this.closeSibling(Kind.DefinitionList);
        this.w.breakLines(1);
        this.w.pushFrame('  ', '  ', false);
        flags |= PUSHED_FRAME;
        break;
      case Kind.Blockquote:
        this.w.breakLines(2);
        this.w.pushFrame('> ', '> ', true);
        flags |= PUSHED_FRAME;
        break;
      case Kind.Pre:
        this.w.breakLines(2);
        this.preDepth++;
        this.preStart = true;
        break;
      case Kind.Table:
        this.w.breakLines(2);
        this.pushContainer(kind, 0, false);
        flags |= CONTAINER;
        break;
      case Kind.TableRow: {
        // A new row ends an open one (`<tr><td>a<tr><td>b`).
        const open = this.containers[this.containers.length - 1];
        if (open !== undefined && open.kind === Kind.TableRow) this.closeTo(open.index);
        this.closeSibling(Kind.Table);
        this.flush();
        this.w.breakLines(1);
        this.pushContainer(kind, 0, false);
        flags |= CONTAINER;
        break;
      }
      case Kind.TableCell: {
        const row = this.closeSibling(Kind.TableRow);
        this.flush();
        if (row !== undefined) {
          // Cells of one row share a line: ` | ` goes before the first word of
          // every later cell, unless the cell starts with a block of its own.
          if (row.cells > 0) this.w.cellSeparator = true;
          row.cells++;
        }
        break;
      }
      case Kind.Anchor:
        this.flush();
        this.finishLink();
        this.link = this.linkTarget(this.attr1);
        break;
      case Kind.Body:
        if (this.headIndex >= 0) this.closeTo(this.headIndex);
        break;
      case Kind.Foreign:
        this.foreignDepth++;
        break;
    }
    const index = this.push(name, kind, flags);
    if (this.link !== null && kind === Kind.Anchor) this.link.stackIndex = index;
    if (selfClosed) this.popIfTop(name);
  }

  private openVoid(kind: Kind): void {
    switch (kind) {
      case Kind.LineBreak:
        this.flush();
        this.w.hardBreak();
        break;
      case Kind.Rule:
        this.flush();
        this.w.breakLines(2);
        this.w.rule('-', FOLD_AT);
        this.w.breakLines(2);
        break;
      case Kind.Image: {
        const alt = this.attr1 === undefined ? '' : collapse(this.attr1);
        // Images without alt text are decoration or tracking pixels: nothing to read.
        if (alt === '') break;
        if (this.preDepth > 0) this.preText += `[${alt}]`;
        else this.writeCollapsed(`[${alt}]`, this.w.space);
        break;
      }
    }
  }

  private push(name: string, kind: Kind, flags: number): number {
    const index = this.names.length;
    this.names.push(name);
    this.kinds.push(kind);
    this.flags.push(flags);
    this.openCount.set(name, (this.openCount.get(name) ?? 0) + 1);
    return index;
  }

  /** Register a container; its element is pushed right after, at the current stack top. */
  private pushContainer(kind: Kind, counter: number, ordered: boolean): void {
    this.containers.push({ kind, child: -1, counter, ordered, cells: 0, index: this.names.length });
  }

  private popIfTop(name: string): void {
    if (this.names[this.names.length - 1] === name) this.pop();
  }

  /** Close every element at stack index ≥ `index`. */
  private closeTo(index: number): void {
    while (this.names.length > index) this.pop();
  }

  private pop(): void {
    const index = this.names.length - 1;
    const name = this.names.pop()!;
    const kind = this.kinds.pop()!;
    const flags = this.flags.pop()!;
    this.openCount.set(name, (this.openCount.get(name) ?? 1) - 1);
    if (flags & CONTAINER) this.containers.pop();
    if (kind === Kind.Skip) {
      this.skipDepth--;
      if (index === this.headIndex) this.headIndex = -1;
      return;
    }
    if (this.skipDepth > 0) return;
    if (kind !== Kind.Inline && kind !== Kind.Foreign) this.flush();
    if (flags & PUSHED_FRAME) this.w.popFrame();
    switch (kind) {
      case Kind.Block:
      case Kind.DefinitionTerm:
      case Kind.ListItem:
      case Kind.DefinitionDescription:
      case Kind.TableRow:
        this.w.breakLines(1);
        break;
      case Kind.Paragraph:
      case Kind.Blockquote:
      case Kind.Table:
      case Kind.DefinitionList:
        this.w.breakLines(2);
        break;
      case Kind.List:
        this.listDepth--;
        this.w.breakLines(this.listDepth > 0 ? 1 : 2);
        break;
      case Kind.Pre:
        this.preDepth--;
        this.w.breakLines(2);
        break;
      case Kind.Heading: {
        const width = this.w.stopTracking();
        if (width > 0) this.w.underline(this.headingLevel === 1 ? '=' : '-', width);
        this.w.breakLines(2);
        break;
      }
      case Kind.Anchor:
        if (this.link !== null && this.link.stackIndex === index) this.finishLink();
        break;
      case Kind.Foreign:
        this.foreignDepth--;
        break;
    }
  }

  /**
   * li/dt/dd/tr/td close an open sibling implicitly (`<li>a<li>b`). Returns
   * the container if the nearest one has the expected kind.
   */
  private closeSibling(containerKind: Kind): Container | undefined {
    const c = this.containers[this.containers.length - 1];
    if (c === undefined || c.kind !== containerKind) return undefined;
    if (c.child >= 0 && c.child < this.names.length) this.closeTo(c.child);
    // The new child is pushed next, at the current top of the stack.
    c.child = this.names.length;
    return c;
  }

  /** True (and head closed) when text in `<head>` is visible text after all. */
  private leaveHeadFor(html: string, start: number, end: number): boolean {
    if (this.headIndex < 0 || this.skipDepth !== 1) return false;
    // Whitespace between head elements is not content.
    for (let i = start; i < end; i++) {
      const c = html.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) {
        this.closeTo(this.headIndex);
        return true;
      }
    }
    return false;
  }

  // ---- Links ---------------------------------------------------------------

  private linkTarget(href: string | undefined): OpenLink | null {
    if (href === undefined) return null;
    // Browsers drop tabs and newlines inside URLs and trim the ends.
    let url = TAB_OR_NEWLINE.test(href) ? href.replace(TAB_OR_NEWLINE_ALL, '') : href;
    url = url.trim();
    if (url === '' || url.charCodeAt(0) === 0x23 /* # */ || droppedSchemes.test(url)) return null;
    if ((url.charCodeAt(0) | 0x20) === 0x6d /* m */ && /^mailto:/i.test(url)) {
      url = url.slice(7);
      const q = url.indexOf('?');
      if (q >= 0) url = url.slice(0, q);
      url = safeDecode(url);
      if (url === '') return null;
    }
    // Keep the URL one unbreakable word.
    if (/\s/.test(url)) url = url.replace(/\s/g, encodeURIComponent);
    return { url, text: '', raw: false, stackIndex: -1 };
  }

  private finishLink(): void {
    const link = this.link;
    if (link === null) return;
    this.link = null;
    // Captured text is already collapsed, except <pre> text.
    const shown = link.raw ? collapse(link.text) : link.text;
    if (sameTarget(shown, link.url)) return;
    // `text <url>`; a link without text shows its URL alone.
    this.w.text(`<${link.url}>`, true);
    this.w.space = false;
  }

  // ---- Text ----------------------------------------------------------------

  /** Hand pending `<pre>` text to the writer (before any block-level event). */
  private flush(): void {
    if (this.preText !== '') {
      const text = this.preText;
      this.preText = '';
      if (this.link !== null) this.link.raw = true;
      this.captureLinkText(text, false);
      this.writePre(text);
    }
  }

  /**
   * Text between tags is mostly whitespace only (indentation): that just sets
   * the space flag, without a copy. Other text is sliced once; one native
   * regex test tells whether it needs the clean-up of `writeText`.
   */
  private scanText(start: number, end: number): void {
    const s = this.html;
    let i = start;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x09 && c !== 0x0d && c !== 0x0c) break;
      i++;
    }
    if (i === end) {
      if (end > start) this.w.space = true;
      return;
    }
    const t = s.slice(start, end);
    if (NEEDS_WORK.test(t)) this.writeText(t);
    else this.writeTrimmed(t);
  }

  /**
   * Collapse whitespace like a browser and write the text. Text is written
   * as it arrives, glued to what came before unless whitespace separates
   * them, so `caf&eacute;` and `<b>foo</b>bar` stay one word.
   */
  private writeText(raw: string): void {
    let t = raw;
    // Rare: invisible controls and soft hyphens go; nbsp collapses like a space.
    if (HAS_INVISIBLE.test(t)) t = t.replace(INVISIBLE, '');
    this.writeTrimmed(t.replace(WHITESPACE_RUN, ' '));
  }

  /** Write text whose whitespace is single spaces (maybe one at either end). */
  private writeTrimmed(t: string): void {
    if (t === '') return;
    let space = this.w.space;
    if (t.charCodeAt(0) === 0x20) {
      space = true;
      if (t.length === 1) {
        this.w.space = true;
        return;
      }
      t = t.slice(1);
    }
    const trailing = t.charCodeAt(t.length - 1) === 0x20;
    if (trailing) t = t.slice(0, -1);
    this.writeCollapsed(t, space);
    this.w.space = trailing;
  }

  private writeCollapsed(t: string, space: boolean): void {
    this.captureLinkText(t, space);
    this.w.text(t, space);
    this.w.space = false;
  }

  /** Remember what a link shows, to leave out a URL that repeats it (capped). */
  private captureLinkText(text: string, space: boolean): void {
    const link = this.link;
    if (link === null || link.text.length > link.url.length + 16) return;
    link.text += space && link.text !== '' ? ` ${text}` : text;
  }

  /** `<pre>`: keep spaces and line breaks, never wrap. */
  private writePre(s: string): void {
    if (this.preStart) {
      this.preStart = false;
      if (s.charCodeAt(0) === 0x0d && s.charCodeAt(1) === 0x0a) s = s.slice(2);
      else if (s.charCodeAt(0) === 0x0a) s = s.slice(1);
    }
    const lines = s.replace(/\r\n?/g, '\n').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (i > 0) this.w.hardBreak();
      let line = lines[i]!;
      if (SPECIAL.test(line)) line = cleanPre(line);
      if (line !== '') this.w.raw(line);
    }
  }
}

const TAB_OR_NEWLINE = /[\t\n\r]/;
const TAB_OR_NEWLINE_ALL = /[\t\n\r]/g;

/** Characters that need the slow path: C0/C1 controls, DEL, nbsp, soft hyphen. */
const SPECIAL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u00a0\u00ad]/;
const INVISIBLE = /[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f\u00ad]/g;
const HAS_INVISIBLE = /[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f\u00ad]/;
/** Text that is not just words separated by single spaces. */
const NEEDS_WORK = /[\u0000-\u001f\u007f-\u00a0\u00ad]| {2}/;
const WHITESPACE_RUN = /[ \t\n\f\r\u00a0]+/g;

/** In `<pre>`: drop invisible controls and soft hyphens; nbsp becomes a plain space. */
function cleanPre(line: string): string {
  return line.replace(INVISIBLE, '').replace(/[\f\u00a0]/g, ' ');
}

function collapse(s: string): string {
  return s.replace(/[\s\u00a0]+/g, ' ').trim();
}

/** An ol start/li value: a plain integer of sane size, else ignored. */
function parseListNumber(value: string): number | undefined {
  const v = value.trim();
  if (!/^-?\d{1,9}$/.test(v)) return undefined;
  return Number(v);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The link text already is the target (`https://example.com` for
 * `https://example.com/`, or the address of a mailto link): showing it twice
 * adds nothing. Anything less exact keeps the URL.
 */
function sameTarget(text: string, url: string): boolean {
  if (text === url) return true;
  // At most `mailto:` and a trailing slash apart.
  if (Math.abs(text.length - url.length) > 8) return false;
  const t = stripSlash(text.toLowerCase());
  const u = stripSlash(url.toLowerCase());
  return t === u || t === `mailto:${u}`;
}

function stripSlash(s: string): string {
  return s.endsWith('/') ? s.slice(0, -1) : s;
}
