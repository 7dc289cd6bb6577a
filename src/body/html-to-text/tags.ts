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
