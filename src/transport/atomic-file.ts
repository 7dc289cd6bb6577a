/**
 * Files that appear whole or not at all: data goes to a synced temp file in
 * the target directory, then `link()` publishes it under its final name (and
 * fails if that name is taken, so nothing is overwritten). Used by the file
 * transport and the sendmail shim's dead letters; mode 0600, they hold mail.
 */
import { randomBytes } from 'node:crypto';
import { link, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** Writes `data` to a fresh temp file in `dir`, synced to disk; returns its path and size. */
export async function writeSyncedTemp(
  dir: string,
  data: Buffer | Readable,
): Promise<{ path: string; size: number }> {
  const path = join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
  const fh = await open(path, 'wx', 0o600);
  let size = 0;
  try {
    const source: Iterable<Buffer> | AsyncIterable<Buffer | string> = Buffer.isBuffer(data)
      ? [data]
      : data;
    for await (const chunk of source) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      // FileHandle.write may write less than asked; loop until the chunk is on disk.
      for (let off = 0; off < buf.length; ) {
        const { bytesWritten } = await fh.write(buf, off, buf.length - off);
        off += bytesWritten;
      }
      size += buf.length;
    }
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => {});
    await unlink(path).catch(() => {});
    throw err;
  }
  await fh.close();
  return { path, size };
}

/** Publishes `data` as `final` (in `dir`) without ever exposing a partial file. */
export async function publishFile(dir: string, final: string, data: Buffer): Promise<void> {
  const tmp = await writeSyncedTemp(dir, data);
  try {
    await link(tmp.path, final);
  } finally {
    await unlink(tmp.path).catch(() => {});
  }
}

/** True for the error `link()` gives when the final name is taken. */
export function isExists(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'EEXIST';
}
