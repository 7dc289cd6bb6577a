/**
 * How the HTML → text converter treats each element. One lookup per tag, so
 * the hot path is a `Map.get` and a `switch` on a small integer.
 */
export const Kind = {
  /** Unknown or formatting-only element: its text flows inline. */
  Inline: 0,
  /** Content is never shown (script, style, head, …). */
  Skip: 1,
  /** Line break before and after (div, section, …). */
  Block: 2,
  /** Blank line before and after (p, figure, …). */
  Paragraph: 3,
  Heading: 4,
  /** ul, ol, menu. */
  List: 5,
  ListItem: 6,
  /** dl: container for dt/dd. */
  DefinitionList: 7,
  DefinitionTerm: 8,
  DefinitionDescription: 9,
  Blockquote: 10,
  Pre: 11,
  Table: 12,
  TableRow: 13,
  TableCell: 14,
  Anchor: 15,
  Image: 16,
  LineBreak: 17,
  Rule: 18,
  /** Void element without text (meta, input, wbr, …). */
  VoidIgnored: 19,
  /** body: closes an open head, otherwise inline. */
  Body: 20,
  /** svg, math: self-closing tags are honoured inside them. */
  Foreign: 21,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

const kinds = new Map<string, Kind>();
function set(kind: Kind, names: string): void {
  for (const name of names.split(' ')) kinds.set(name, kind);
}

set(Kind.Skip, 'script style head title template noscript');
set(
  Kind.Block,
  'div section article header footer nav aside main address figcaption form fieldset details summary center caption legend option optgroup tbody thead tfoot hgroup search dialog',
);
set(Kind.Paragraph, 'p figure');
set(Kind.Heading, 'h1 h2 h3 h4 h5 h6');
set(Kind.List, 'ul ol menu dir');
set(Kind.ListItem, 'li');
set(Kind.DefinitionList, 'dl');
set(Kind.DefinitionTerm, 'dt');
set(Kind.DefinitionDescription, 'dd');
set(Kind.Blockquote, 'blockquote');
set(Kind.Pre, 'pre listing xmp plaintext');
set(Kind.Table, 'table');
set(Kind.TableRow, 'tr');
set(Kind.TableCell, 'td th');
set(Kind.Anchor, 'a');
set(Kind.Image, 'img');
set(Kind.LineBreak, 'br');
set(Kind.Rule, 'hr');
set(
  Kind.VoidIgnored,
  'area base basefont col command embed frame input isindex keygen link meta param source track wbr',
);
set(Kind.Body, 'body');
set(Kind.Foreign, 'svg math');

/** The element kind of a lower-case tag name. */
export function kindOf(name: string): Kind {
  return kinds.get(name) ?? Kind.Inline;
}

/** Void elements never get a closing tag, so they are never pushed on the stack. */
export function isVoid(kind: Kind): boolean {
  return (
    kind === Kind.Image ||
    kind === Kind.LineBreak ||
    kind === Kind.Rule ||
    kind === Kind.VoidIgnored
  );
}

/**
 * Elements that may appear in `<head>` without ending it. Anything else
 * (or visible text) implies `</head>`, as in a browser; otherwise a page
 * that forgets `</head>` would lose its whole body.
 */
const headContent = new Set([
  'title',
  'style',
  'script',
  'meta',
  'link',
  'base',
  'noscript',
  'template',
  'basefont',
]);

export function allowedInHead(name: string): boolean {
  return headContent.has(name);
}

/**
 * Tag names are looked up straight from the source text: for known names no
 * string is sliced or lower-cased, and the same interned string comes back
 * every time (so Map lookups on it hit the cached hash). Unknown names fall
 * back to `slice().toLowerCase()`.
 */
const KNOWN_NAMES = [
  ...kinds.keys(),
  ...'html span b strong i em u font small big sub sup code abbr s strike label button o:p tt var cite q mark del ins time picture video audio canvas iframe object textarea select'.split(
    ' ',
  ),
];
const SLOTS = 1024;
const MASK = SLOTS - 1;
const slots: Array<string | undefined> = new Array(SLOTS).fill(undefined);

function hashLower(s: string, start: number, end: number): number {
  let h = 0;
  for (let i = start; i < end; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    h = (Math.imul(h, 31) + c) | 0;
  }
  return h & MASK;
}

for (const name of KNOWN_NAMES) {
  let slot = hashLower(name, 0, name.length);
  while (slots[slot] !== undefined && slots[slot] !== name) slot = (slot + 1) & MASK;
  slots[slot] = name;
}

/** `s[start, end)` equals the lower-case ASCII `name`, ignoring ASCII case. */
export function equalsLower(s: string, start: number, end: number, name: string): boolean {
  if (end - start !== name.length) return false;
  for (let i = 0; i < name.length; i++) {
    let c = s.charCodeAt(start + i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== name.charCodeAt(i)) return false;
  }
  return true;
}

/** The lower-case tag name at `s[start, end)`. */
export function tagNameAt(s: string, start: number, end: number): string {
  if (end - start <= 10) {
    let slot = hashLower(s, start, end);
    for (let cand = slots[slot]; cand !== undefined; cand = slots[slot]) {
      if (equalsLower(s, start, end, cand)) return cand;
      slot = (slot + 1) & MASK;
    }
  }
  return s.slice(start, end).toLowerCase();
}
