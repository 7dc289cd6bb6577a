/**
 * The one renderer: MIME tree + top-level header fields → wire bytes (CRLF,
 * folded, encoded). Used by compose() and repair().
 */
import { Readable } from 'node:stream';
import { base64Length, base64Stream, encodeBase64, writeBase64Pieces } from '../body/base64.js';
import { readChunks } from '../body/base64-input.js';
import { randomHex } from '../header/random.js';
import type { Base64Body, LeafPart, MimeNode, MultipartNode } from './tree.js';

/** Boundaries: random, quoted (they start with "=_", which no QP or base64 line can). */
class Boundaries {
  private readonly base = randomHex(12);
  private n = 0;
  next(): string {
    return `=_mh_${this.base}_${(this.n++).toString(36)}`;
  }
}

function sevenBitBodies(node: MimeNode, out: Buffer[] = []): Buffer[] {
  if (node.kind === 'leaf') {
    if (node.cte === '7bit' && Buffer.isBuffer(node.body)) out.push(node.body);
  } else {
    for (const p of node.parts) sevenBitBodies(p, out);
  }
  return out;
}

/**
 * A chunk is rendered text (header blocks and delimiters, UTF-8), a body's
 * bytes, or content to encode as base64: written straight into the output
 * buffer, or streamed when it is a Readable.
 */
export type Chunk = string | Buffer | Base64Body;

/**
 * Collects chunks; the text between two bodies becomes one string, written
 * into the output once (no Buffer per header block or delimiter).
 */
class Chunks {
  readonly list: Chunk[] = [];
  private text = '';
  add(text: string): void {
    this.text += text;
  }
  body(body: Buffer | Base64Body): void {
    if (this.text !== '') this.list.push(this.text);
    this.text = '';
    this.list.push(body);
  }
  /** The message ends in CRLF; a single-part body that already does keeps its own. */
  end(): Chunk[] {
    const last = this.list[this.list.length - 1];
    const crlf =
      this.text === '' &&
      Buffer.isBuffer(last) &&
      last.length >= 2 &&
      last[last.length - 2] === 13 &&
      last[last.length - 1] === 10;
    if (!crlf) this.text += '\r\n';
    if (this.text !== '') this.list.push(this.text);
    return this.list;
  }
}

function renderNode(
  node: MimeNode,
  out: Chunks,
  boundaries: Boundaries,
  bodies7: Buffer[],
  extraHeaders: readonly string[],
): void {
  if (node.kind === 'leaf') renderLeaf(node, out, extraHeaders);
  else renderMultipart(node, out, boundaries, bodies7, extraHeaders);
}

function renderLeaf(node: LeafPart, out: Chunks, extraHeaders: readonly string[]): void {
  for (const h of extraHeaders) out.add(h);
  for (const h of node.headers) out.add(h);
  out.add('\r\n');
  out.body(node.body);
}

function renderMultipart(
  node: MultipartNode,
  out: Chunks,
  boundaries: Boundaries,
  bodies7: Buffer[],
  extraHeaders: readonly string[],
): void {
  let boundary = boundaries.next();
  // A 7bit body could contain the delimiter by (astronomical) chance or on purpose.
  while (bodies7.some((b) => b.includes(boundary))) boundary = boundaries.next();
  for (const h of extraHeaders) out.add(h);
  out.add(`Content-Type: multipart/${node.subtype};\r\n boundary="${boundary}"\r\n`);
  for (const h of node.headers) out.add(h);
  out.add('\r\n');
  node.parts.forEach((part, i) => {
    out.add(i === 0 ? `--${boundary}\r\n` : `\r\n--${boundary}\r\n`);
    renderNode(part, out, boundaries, bodies7, []);
  });
  out.add(`\r\n--${boundary}--`);
}

/** What the renderer was asked to write for one entity: its field names in order, then its body. */
export type WireShape =
  | {
      readonly kind: 'leaf';
      readonly fields: readonly string[];
      readonly cte: LeafPart['cte'];
    }
  | {
      readonly kind: 'multipart';
      readonly fields: readonly string[];
      readonly subtype: MultipartNode['subtype'];
      readonly parts: readonly WireShape[];
    };

/** The field name of one rendered field (`Name: value\r\n`). */
function fieldName(rendered: string): string {
  return rendered.slice(0, rendered.indexOf(':'));
}

/**
 * The field names and bodies {@link renderChunks} writes for `root` under
 * `headers`, for the wire verifier (verify.ts): as renderNode, the top-level
 * fields first, then a multipart's own Content-Type, then the node's fields.
 */
export function wireShape(root: MimeNode, headers: readonly string[] = []): WireShape {
  const extra = headers.map(fieldName);
  if (root.kind === 'leaf') {
    return { kind: 'leaf', fields: [...extra, ...root.headers.map(fieldName)], cte: root.cte };
  }
  return {
    kind: 'multipart',
    fields: [...extra, 'Content-Type', ...root.headers.map(fieldName)],
    subtype: root.subtype,
    parts: root.parts.map((p) => wireShape(p)),
  };
}

/**
 * Renders a message: `headers` are the top-level fields (already rendered),
 * placed before the root entity's own MIME fields. The result ends in CRLF.
 */
export function renderChunks(root: MimeNode, headers: readonly string[]): Chunk[] {
  const out = new Chunks();
  renderNode(root, out, new Boundaries(), sevenBitBodies(root), headers);
  return out.end();
}

/** Rendered text or bytes, or the pieces of one body to encode as base64. */
type Ready = string | Buffer | readonly Uint8Array[];

/**
 * The one output allocation: the exact size is known up front (base64 from
 * the content's length), so every part is written in place: no intermediate
 * encoded body, no concatenation copy.
 */
function writeReady(list: readonly Ready[]): Buffer {
  let size = 0;
  for (const r of list) {
    if (typeof r === 'string') size += Buffer.byteLength(r, 'utf8');
    else if (Buffer.isBuffer(r)) size += r.length;
    else size += base64Length(r.reduce((n, p) => n + p.length, 0));
  }
  const out = Buffer.allocUnsafe(size);
  let o = 0;
  for (const r of list) {
    if (typeof r === 'string') o += out.write(r, o, 'utf8');
    else if (Buffer.isBuffer(r)) o += r.copy(out, o);
    else o = writeBase64Pieces(r, out, o);
  }
  return out;
}

/** Joins chunks into one Buffer; a streamed body is read first (its raw bytes), then encoded once. */
export async function chunksToBuffer(chunks: readonly Chunk[]): Promise<Buffer> {
  const ready: Ready[] = [];
  for (const c of chunks) {
    if (typeof c === 'string' || Buffer.isBuffer(c)) ready.push(c);
    else if (c.base64 instanceof Readable) {
      const pieces: Uint8Array[] = [];
      for await (const b of readChunks(c.base64))
        pieces.push(typeof b === 'string' ? Buffer.from(b) : b);
      ready.push(pieces);
    } else ready.push([c.base64]);
  }
  return writeReady(ready);
}

/** Joins chunks that are all Buffers or base64 content in memory (no streamed bodies). */
export function chunksToBufferSync(chunks: readonly Chunk[]): Buffer {
  return writeReady(
    chunks.map((c) => {
      if (typeof c === 'string' || Buffer.isBuffer(c)) return c;
      if (c.base64 instanceof Readable) throw new Error('chunksToBufferSync: a streamed body');
      return [c.base64];
    }),
  );
}

/** True for a body read while the message is read. */
export function isStreamed(c: Chunk): boolean {
  return typeof c !== 'string' && !Buffer.isBuffer(c) && c.base64 instanceof Readable;
}

/**
 * For a stream: base64 content in memory is encoded now (the caller may
 * reuse its buffer once composeStream returns, and the self-check sees the
 * real bytes); streamed content stays streamed.
 */
export function encodeInMemory(chunks: readonly Chunk[]): Chunk[] {
  return chunks.map((c) =>
    typeof c === 'string' || Buffer.isBuffer(c) || c.base64 instanceof Readable
      ? c
      : encodeBase64(c.base64),
  );
}

/** Yields the bytes in order, streaming streamed bodies. */
export async function* chunksToIterable(chunks: readonly Chunk[]): AsyncGenerator<Buffer> {
  for (const c of chunks) {
    if (typeof c === 'string') yield Buffer.from(c, 'utf8');
    else if (Buffer.isBuffer(c)) yield c;
    else if (c.base64 instanceof Readable) yield* base64Stream(c.base64);
    else yield encodeBase64(c.base64);
  }
}
