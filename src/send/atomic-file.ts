/**
 * Messages on disk that appear whole or not at all. A message is two files,
 * `<id>.eml` (the bytes) and `<id>.json` (envelope and details); a pickup
 * process looks for `.eml` files. Both are written to synced temp files in
 * the target directory first; then `link()` publishes them under their final
 * names (failing if a name is taken, so nothing is overwritten), the `.json`
 * first and the `.eml` last: whoever sees an `.eml` finds its `.json`
 * beside it. When any step fails, what was published is removed again and
 * every temp file deleted. Used by the file transport and the sendmail
 * shim's dead letters; mode 0600, they hold mail.
 */
import { randomBytes } from 'node:crypto';
import { link, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/** The file-system calls used here; injectable so tests can make any one of them fail. */
export interface AtomicFs {
  open: typeof open;
  link: typeof link;
  unlink: typeof unlink;
}

export const realFs: AtomicFs = { open, link, unlink };

/** Writes `data` to a fresh temp file in `dir`, synced to disk; returns its path and size. */
export async function writeSyncedTemp(
  dir: string,
  data: Buffer | Readable,
  fs: AtomicFs = realFs,
): Promise<{ path: string; size: number }> {
  const path = join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
  const fh = await fs.open(path, 'wx', 0o600);
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
    await fs.unlink(path).catch(() => {});
    throw err;
  }
  await fh.close();
  return { path, size };
}

/** A temp file and the name it is to be published under. */
export interface Publication {
  temp: string;
  final: string;
}

/**
 * Links every temp file to its final name, in order (put the file readers
 * look for last). If one link fails, the names linked before it are removed
 * again and the error is rethrown; a name that could not be removed is
 * named in the error's message, so what the caller reports is true.
 */
export async function linkAll(files: readonly Publication[], fs: AtomicFs = realFs): Promise<void> {
  const done: string[] = [];
  try {
    for (const f of files) {
      await fs.link(f.temp, f.final);
      done.push(f.final);
    }
  } catch (err) {
    const left: string[] = [];
    for (const path of done) await fs.unlink(path).catch(() => left.push(path));
    if (left.length > 0 && err instanceof Error) {
      err.message += `; could not remove the partly published ${left.join(', ')}`;
    }
    throw err;
  }
}

/** Deletes temp files, ignoring errors (they may already be gone). */
export async function removeTemps(
  paths: ReadonlyArray<string | undefined>,
  fs: AtomicFs = realFs,
): Promise<void> {
  for (const p of paths) if (p !== undefined) await fs.unlink(p).catch(() => {});
}

/** True for the error `link()` gives when the final name is taken. */
export function isExists(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'EEXIST';
}
