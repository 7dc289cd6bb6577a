/**
 * Reads the message the caller pipes in. Without `-i` a line holding only a
 * `.` ends the message (sendmail's classic convention, for people typing at a
 * terminal); with `-i`/`-oi` — which PHP, Git and cron pass — only EOF does.
 * Like Postfix, a `..` at the start of a line is left as it is: dot-stuffing
 * belongs to SMTP, not to the command line.
 */
import { readSync } from 'node:fs';

/** Where a line holding a lone `.` starts in the stream, tracked across chunks. */
enum State {
  /** At the start of a line. */
  LineStart,
  /** Saw `.` at the start of a line. */
  Dot,
  /** Saw `.\r` at the start of a line. */
  DotCr,
  /** Inside a line. */
  Inside,
}

/**
 * Reads `input` to EOF, or with `stopAtDot` to the first line holding only
 * `.` (LF or CRLF ended, or the last line). The dot line and anything after
 * it are not part of the message; reading stops there.
 *
 * @example
 * ```ts
 * const raw = await readMessage(process.stdin, { stopAtDot: !flags.ignoreDots })
 * ```
 */
export async function readMessage(
  input: AsyncIterable<Uint8Array | string>,
  options: { stopAtDot: boolean },
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  let state = State.LineStart;
  let dotAt = -1; // offset of the '.' of a candidate dot line
  for await (const c of input) {
    const chunk =
      typeof c === 'string' ? Buffer.from(c) : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
    if (options.stopAtDot) {
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i]!;
        if (b === 0x0a) {
          if (state === State.Dot || state === State.DotCr) {
            chunks.push(chunk);
            return Buffer.concat(chunks).subarray(0, dotAt);
          }
          state = State.LineStart;
        } else if (state === State.LineStart && b === 0x2e) {
          state = State.Dot;
          dotAt = total + i;
        } else if (state === State.Dot && b === 0x0d) {
          state = State.DotCr;
        } else {
          state = State.Inside;
        }
      }
    }
    chunks.push(chunk);
    total += chunk.length;
  }
  const all = Buffer.concat(chunks, total);
  // A final "." without a line end also ends the message.
  if (options.stopAtDot && (state === State.Dot || state === State.DotCr))
    return all.subarray(0, dotAt);
  return all;
}

/**
 * The process's stdin as chunks, read with `readSync` on fd 0: for a pipe or
 * a file that is a plain blocking read, and it spares loading the stream
 * machinery behind `process.stdin` on every PHP mail. A non-blocking
 * descriptor (EAGAIN, e.g. some terminals) continues through `process.stdin`.
 */
export async function* stdinChunks(): AsyncGenerator<Uint8Array> {
  for (;;) {
    const buf = Buffer.allocUnsafe(64 * 1024);
    let n: number;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EOF') return;
      if (code !== 'EAGAIN') throw e;
      yield* process.stdin;
      return;
    }
    if (n === 0) return;
    yield buf.subarray(0, n);
  }
}
