/** Constructors for tree nodes: the vocabulary compose() and repair() build with. */

import type { Readable } from 'node:stream';
import { type EncodedBody, encodeText } from '../body/cte.js';
import { HeaderBuilder } from '../header/fold.js';
import { asciiFallback, renderParam } from '../header/params.js';
import type { LeafPart, MimeNode, MultipartNode } from './tree.js';

/** `Name: value; p1; p2` folded between parameters. */
export function renderParamHeader(name: string, value: string, params: readonly string[]): string {
  const b = new HeaderBuilder(name);
  b.add(' ', params.length ? `${value};` : value);
  params.forEach((p, i) => {
    b.add(' ', i < params.length - 1 ? `${p};` : p);
  });
  return b.toString();
}

/**
 * A text part (`text/plain` or `text/html`), UTF-8, CTE chosen from its text:
 * checked text (`checkedText`, any line ends) or its UTF-8 bytes with CRLF
 * line ends (`textToBytes`).
 */
export function textPart(subtype: 'plain' | 'html', text: string | Buffer): LeafPart {
  return encodedTextPart(
    subtype,
    encodeText(typeof text === 'string' ? text : text.toString('utf8')),
  );
}

/** A text part from a body `encodeText`/`encodeTextInput` already encoded. */
export function encodedTextPart(subtype: 'plain' | 'html', { cte, bytes }: EncodedBody): LeafPart {
  return {
    kind: 'leaf',
    cte,
    headers: [
      `Content-Type: text/${subtype}; charset=utf-8\r\n`,
      `Content-Transfer-Encoding: ${cte}\r\n`,
    ],
    body: bytes,
  };
}

export interface BinaryPartOptions {
  contentType: string;
  /** Extra Content-Type parameters, rendered (`charset=utf-8`). */
  typeParams?: string[];
  filename?: string;
  disposition?: 'attachment' | 'inline';
  cid?: string;
}

/** A base64 part from bytes or a stream (never buffered when streamed). */
export function binaryPart(content: Uint8Array | Readable, o: BinaryPartOptions): LeafPart {
  const typeParams = [...(o.typeParams ?? [])];
  const headers: string[] = [];
  // Legacy clients read Content-Type name=; give them a plain ASCII stand-in. A second
  // filename parameter beside filename* would be a duplicate (Python reports a defect).
  if (o.filename !== undefined) typeParams.push(`name="${asciiFallback(o.filename)}"`);
  headers.push(renderParamHeader('Content-Type', o.contentType, typeParams));
  headers.push('Content-Transfer-Encoding: base64\r\n');
  if (o.disposition) {
    const params = o.filename !== undefined ? renderParam('filename', o.filename) : [];
    headers.push(renderParamHeader('Content-Disposition', o.disposition, params));
  }
  if (o.cid !== undefined) headers.push(`Content-ID: <${o.cid}>\r\n`);
  return { kind: 'leaf', cte: 'base64', headers, body: { base64: content } };
}

export function multipart(subtype: MultipartNode['subtype'], parts: MimeNode[]): MimeNode {
  return parts.length === 1 ? parts[0]! : { kind: 'multipart', subtype, headers: [], parts };
}

export { renderParam };
