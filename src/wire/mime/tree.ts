/**
 * The MIME tree: what compose builds from input and repair builds from a parsed
 * message, and the only thing the renderer accepts. Header lines in the tree
 * are already rendered and checked (CRLF-terminated, folded, ASCII).
 */
import { Readable } from 'node:stream';
import type { Cte } from '../body/cte.js';

/** Content the renderer base64-encodes itself (76-character lines), straight into its output. */
export interface Base64Body {
  readonly base64: Uint8Array | Readable;
}

/** Encoded bytes, or content for base64 (a Readable is read while the message is). */
type BodyBytes = Buffer | Base64Body;

export interface LeafPart {
  readonly kind: 'leaf';
  /** Rendered header fields, each ending in CRLF. */
  readonly headers: string[];
  /** Encoded body without a final CRLF, or content the renderer encodes as base64. */
  readonly body: BodyBytes;
  /** 7bit bodies may contain any text, so boundaries are checked against them. */
  readonly cte: Cte;
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
  return node.kind === 'leaf'
    ? !Buffer.isBuffer(node.body) && node.body.base64 instanceof Readable
    : node.parts.some(hasStreamedBody);
}
