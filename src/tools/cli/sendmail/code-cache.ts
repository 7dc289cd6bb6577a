/**
 * A V8 code cache for the sendmail shim's program bundle. Every PHP mail()
 * starts a fresh Node process, and without a cache V8 parses the bundle and
 * compiles each function the run touches from scratch, which costs more than
 * the mail itself. Node 20 has no `module.enableCompileCache` (22.1+), so the
 * bin compiles the bundle with `vm.Script` and hands it the bytecode an
 * earlier successful run left behind (`createCachedData()` after the run, so
 * the cache holds every function that run compiled lazily).
 *
 * A cache file is only ever a speed-up: anything unexpected (missing, made
 * for another build of the bundle or another Node, damaged, owned by someone
 * else, an unwritable directory) means "no cache", silently. V8 rejects data
 * from another V8 version or flag set, but otherwise trusts the bytes (a
 * flipped byte crashes the process) and only compares the source length, so
 * this module makes sure a cache belongs to exactly this bundle, this Node
 * binary and this user, and is intact:
 *
 * - the file starts with the identity of the bundle (its build stamp, a
 *   SHA-256 appended at build time; size, inode, mtime and ctime in
 *   nanoseconds) and of the Node binary (version, architecture, inode, size,
 *   mtime), then the SHA-256 of the V8 data, checked before V8 sees it;
 * - it lives in a directory only this user can write to; it is opened without
 *   following symlinks and must be this user's and not writable by others;
 *   it appears by rename after fsync, never half-written.
 *
 * It runs before the program on every mail, so it loads only `fs`, `path`
 * and `crypto` (which the program needs anyway, for Message-IDs and file names).
 */

import { createHash } from 'node:crypto';
import {
  type BigIntStats,
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

/** Bump when the file layout or the way the bin compiles the bundle changes. */
const FORMAT = 'mailhygiene-v8-cache 2';

/** Where the cache of one bundle lives. */
export interface CodeCacheLocation {
  dir: string;
  file: string;
}

/** A bundle as the bin read it: its bytes and what identifies this exact file (if known). */
export interface Bundle {
  source: Buffer;
  identity: string | undefined;
}

/**
 * The cache file for a bundle: in `MAILHYGIENE_CACHE_DIR` (empty or `off`
 * turns the cache off), else in `<tmpdir>/mailhygiene-cache-<uid>`. The name
 * tells installations and Node versions apart, so they never overwrite each
 * other's cache.
 */
export function codeCacheLocation(
  bundlePath: string,
  env: Record<string, string | undefined>,
): CodeCacheLocation | undefined {
  const configured = env['MAILHYGIENE_CACHE_DIR'];
  if (configured === '' || configured === 'off') return undefined;
  // os.tmpdir()'s rule on POSIX, without loading `os` on every mail.
  // eslint-disable-next-line regexp/no-super-linear-move, redos/no-vulnerable -- the local environment's TMPDIR, not mail: trusted and short
  const tmp = (env['TMPDIR'] || env['TMP'] || env['TEMP'] || '/tmp').replace(/(.)\/+$/, '$1');
  const dir = configured ?? join(tmp, `mailhygiene-cache-${process.getuid?.() ?? 'user'}`);
  const name = `sendmail-${fnv1a(bundlePath)}-${process.version}-${process.arch}.v8cache`;
  return { dir, file: join(dir, name) };
}

/** 32-bit FNV-1a of a short string as hex: tells bundle paths apart in a file name. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * Reads the bundle and its identity in one open: the build stamp at its end
 * (see scripts/sendmail-bundle.ts) plus what the file system says about it.
 */
export function readBundle(path: string): Bundle {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd, { bigint: true });
    const source = readFileSync(fd);
    // The last line holds the build stamp; a bundle built without it still has its stat.
    const tail = source.toString('latin1', Math.max(0, source.length - 96)).trim();
    const stamp = tail.slice(tail.lastIndexOf('\n') + 1);
    const stats = statIdentity(st, source.length);
    return { source, identity: stats === undefined ? undefined : `${stats} ${stamp}` };
  } finally {
    closeSync(fd);
  }
}

function statIdentity(st: BigIntStats, size: number): string | undefined {
  // The Node binary too: a rebuilt node of the same version may lay out its heap differently.
  let node: BigIntStats;
  try {
    node = statSync(process.execPath, { bigint: true });
  } catch {
    return undefined;
  }
  return [
    `node ${process.version} ${process.arch} ${node.dev}:${node.ino} ${node.size} ${node.mtimeNs}`,
    `bundle ${size} ${st.dev}:${st.ino} ${st.mtimeNs} ${st.ctimeNs}`,
  ].join(' ');
}

/** The file's first lines: format, identity, SHA-256 of the V8 data. */
function header(identity: string, data: Buffer): Buffer {
  return Buffer.from(`${FORMAT}\n${identity}\n${sha256(data)}\n`, 'utf8');
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** True for a file or directory that belongs to this user and nobody else may write. */
function ownedAndPrivate(st: { uid: number | bigint; mode: number | bigint }): boolean {
  const uid = process.getuid?.();
  if (uid === undefined) return true; // Windows: no owner bits; the temp directory is per user
  return Number(st.uid) === uid && (Number(st.mode) & 0o022) === 0;
}

/** The V8 data cached for the bundle with this identity, or undefined. */
export function readCodeCache(file: string, identity: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || !ownedAndPrivate(st)) return undefined;
    const bytes = readFileSync(fd);
    const expected = Buffer.from(`${FORMAT}\n${identity}\n`, 'utf8');
    const dataStart = expected.length + 65; // 64 hex digits and a line feed
    if (bytes.length <= dataStart || !bytes.subarray(0, expected.length).equals(expected)) {
      return undefined;
    }
    const data = bytes.subarray(dataStart);
    const digest = bytes.toString('latin1', expected.length, dataStart - 1);
    return digest === sha256(data) ? data : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Stores V8 `data` for the bundle with this identity. Never throws: a cache
 * that cannot be written only means the next run compiles again. The
 * directory is created private (0700); an existing one that another user
 * owns or may write to is left alone.
 */
export function writeCodeCache(
  location: CodeCacheLocation,
  identity: string,
  data: Buffer,
): boolean {
  const tmp = `${location.file}.${process.pid}.tmp`;
  let fd: number | undefined;
  try {
    try {
      mkdirSync(location.dir, { mode: 0o700 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return false;
    }
    const st = lstatSync(location.dir);
    if (!st.isDirectory() || !ownedAndPrivate(st)) return false;
    // 'wx' is O_CREAT|O_EXCL: it never follows a symlink planted under the temp name.
    fd = openSync(tmp, 'wx', 0o600);
    for (const part of [header(identity, data), data]) {
      for (let off = 0; off < part.length; ) off += writeSync(fd, part, off);
    }
    // Synced before it gets its name, so a crash never leaves a torn cache behind.
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, location.file);
    return true;
  } catch {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {}
    }
    try {
      unlinkSync(tmp);
    } catch {}
    return false;
  }
}
