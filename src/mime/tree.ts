/**
 * The MIME tree: what compose builds from input and repair builds from a parsed
 * message, and the only thing the renderer accepts. Header lines in the tree
 * are already rendered and checked (CRLF-terminated, folded, ASCII).
 */
export type BodyBytes = Buffer | (() => AsyncIterable<Buffer>);

export interface LeafPart {
  readonly kind: 'leaf';
  /** Rendered header fields, each ending in CRLF. */
  readonly headers: string[];
  /** Encoded body without a final CRLF; a function for streamed content. */
  readonly body: BodyBytes;
  /** 7bit bodies may contain any text, so boundaries are checked against them. */
  readonly cte: '7bit' | 'quoted-printable' | 'base64';
}

export interface MultipartNode {
  readonly kind: 'multipart';
  readonly subtype: 'mixed' | 'alternative' | 'related';
  readonly headers: string[];
  readonly parts: MimeNode[];
}

export type MimeNode = LeafPart | MultipartNode;

/** True when any body in the tree is streamed. */
export function hasStreamedBody(node: MimeNode): boolean {
  return node.kind === 'leaf' ? typeof node.body === 'function' : node.parts.some(hasStreamedBody);
}
