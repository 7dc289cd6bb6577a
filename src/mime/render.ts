/**
 * The one renderer: MIME tree + top-level header fields → wire bytes (CRLF,
 * folded, encoded). Used by compose() and repair().
 */
import { randomHex } from '../header/random.js';
import type { LeafPart, MimeNode, MultipartNode } from './tree.js';

const CRLF = Buffer.from('\r\n');

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

/** A chunk is a rendered Buffer or a streamed body. */
export type Chunk = Buffer | (() => AsyncIterable<Buffer>);

function pushHeaders(out: Chunk[], lines: readonly string[]): void {
  out.push(Buffer.from(lines.join(''), 'utf8'));
}

function renderNode(
  node: MimeNode,
  out: Chunk[],
  boundaries: Boundaries,
  bodies7: Buffer[],
  extraHeaders: readonly string[],
): void {
  if (node.kind === 'leaf') renderLeaf(node, out, extraHeaders);
  else renderMultipart(node, out, boundaries, bodies7, extraHeaders);
}

function renderLeaf(node: LeafPart, out: Chunk[], extraHeaders: readonly string[]): void {
  pushHeaders(out, [...extraHeaders, ...node.headers, '\r\n']);
  out.push(node.body);
}

function renderMultipart(
  node: MultipartNode,
  out: Chunk[],
  boundaries: Boundaries,
  bodies7: Buffer[],
  extraHeaders: readonly string[],
): void {
  let boundary = boundaries.next();
  // A 7bit body could contain the delimiter by (astronomical) chance or on purpose.
  while (bodies7.some((b) => b.includes(boundary))) boundary = boundaries.next();
  pushHeaders(out, [
    ...extraHeaders,
    `Content-Type: multipart/${node.subtype};\r\n boundary="${boundary}"\r\n`,
    ...node.headers,
    '\r\n',
  ]);
  const delimiter = Buffer.from(`--${boundary}\r\n`);
  node.parts.forEach((part, i) => {
    out.push(i === 0 ? delimiter : Buffer.concat([CRLF, delimiter]));
    renderNode(part, out, boundaries, bodies7, []);
  });
  out.push(Buffer.from(`\r\n--${boundary}--`));
}

/**
 * Renders a message: `headers` are the top-level fields (already rendered),
 * placed before the root entity's own MIME fields. The result ends in CRLF.
 */
export function renderChunks(root: MimeNode, headers: readonly string[]): Chunk[] {
  const out: Chunk[] = [];
  renderNode(root, out, new Boundaries(), sevenBitBodies(root), headers);
  // The message ends in CRLF; a single-part body that already does keeps its own.
  const last = out[out.length - 1];
  if (
    !(
      Buffer.isBuffer(last) &&
      last.length >= 2 &&
      last[last.length - 2] === 13 &&
      last[last.length - 1] === 10
    )
  ) {
    out.push(CRLF);
  }
  return out;
}

/** Joins chunks into one Buffer, reading streamed bodies. */
export async function chunksToBuffer(chunks: readonly Chunk[]): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (const c of chunks) {
    if (Buffer.isBuffer(c)) parts.push(c);
    else for await (const b of c()) parts.push(b);
  }
  return Buffer.concat(parts);
}

/** Joins chunks that are all Buffers (no streamed bodies). */
export function chunksToBufferSync(chunks: readonly Chunk[]): Buffer {
  return Buffer.concat(chunks as Buffer[]);
}

/** Yields the bytes in order, streaming streamed bodies. */
export async function* chunksToIterable(chunks: readonly Chunk[]): AsyncGenerator<Buffer> {
  for (const c of chunks) {
    if (Buffer.isBuffer(c)) yield c;
    else yield* c();
  }
}
