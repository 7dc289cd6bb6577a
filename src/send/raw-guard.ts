/**
 * Transports never weaken what compose guaranteed. One guarantee is easy to
 * lose at the hand-over: a `Bcc:` header in the bytes discloses the blind
 * recipients to everyone. Compose never writes one, so finding one here means
 * the bytes came from somewhere else; refuse instead of sending.
 */
import { Readable } from 'node:stream';
import { TransportError } from './error.js';

/** Header blocks larger than this are refused rather than buffered without bound. */
const MAX_HEADER_BLOCK = 1024 * 1024;

/**
 * Where the header block ends: the index just past the empty line
 * (CRLF CRLF, or LF LF in bytes that are not canonical), or -1.
 */
function headerBlockEnd(buf: Buffer): number {
  for (let i = buf.indexOf(0x0a); i !== -1; i = buf.indexOf(0x0a, i + 1)) {
    if (i === 0) return 1; // no headers at all
    const next = buf[i + 1];
    if (next === 0x0a) return i + 2;
    if (next === 0x0d && buf[i + 2] === 0x0a) return i + 3;
  }
  return -1;
}

/**
 * Throws when the header block of `head` has a `Bcc` field. Field names
 * are matched case-insensitively and with the obsolete white space before
 * the colon (RFC 5322 §4.5.3), as receivers parse them.
 */
function assertNoBccHeader(head: Buffer): void {
  const end = headerBlockEnd(head);
  const text = head.subarray(0, end === -1 ? head.length : end).toString('latin1');
  if (/^bcc[ \t]*:/im.test(text)) {
    throw new TransportError(
      'TRANSPORT_FAILED',
      'refusing to send: the message has a Bcc header, which would disclose blind recipients',
      { temporary: false, field: 'raw' },
    );
  }
}

/**
 * Checks the header block of `raw` and returns bytes to send: the same
 * Buffer, or for a stream a new Readable that yields exactly the same bytes.
 * A stream is read only up to the end of its header block before the check,
 * so nothing reaches the next hop before it passed.
 */
export async function guardRaw(raw: Buffer | Readable): Promise<Buffer | Readable> {
  if (Buffer.isBuffer(raw)) {
    assertNoBccHeader(raw);
    return raw;
  }
  if (!(raw instanceof Readable)) {
    throw new TransportError('TRANSPORT_FAILED', 'raw must be a Buffer or a Readable stream', {
      temporary: false,
      field: 'raw',
    });
  }
  const iterator = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await iterator.next();
    if (done) break;
    const chunk = typeof value === 'string' ? Buffer.from(value) : value;
    chunks.push(chunk);
    size += chunk.length;
    // Only look once more than the previous chunks arrived; a boundary may span chunks.
    if (headerBlockEnd(Buffer.concat(chunks, size)) !== -1) break;
    if (size > MAX_HEADER_BLOCK) {
      await iterator.return?.();
      throw new TransportError('TRANSPORT_FAILED', 'header block larger than 1 MiB', {
        temporary: false,
        field: 'raw',
      });
    }
  }
  const head = Buffer.concat(chunks, size);
  try {
    assertNoBccHeader(head);
  } catch (err) {
    await iterator.return?.();
    throw err;
  }
  async function* replay(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    for (;;) {
      const { value, done } = await iterator.next();
      if (done) return;
      yield typeof value === 'string' ? Buffer.from(value) : value;
    }
  }
  return Readable.from(replay(), { objectMode: false });
}

/** Reads a Buffer or stream fully (memory and file transports, small messages). */
export async function toBuffer(raw: Buffer | Readable): Promise<Buffer> {
  if (Buffer.isBuffer(raw)) return raw;
  const chunks: Buffer[] = [];
  for await (const chunk of raw)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
