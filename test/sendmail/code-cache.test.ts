/**
 * The shim's V8 code cache files (src/tools/cli/sendmail/code-cache.ts): where they
 * live, what makes one belong to a bundle, and that everything unexpected
 * reads as "no cache" instead of an error or a crash.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type CodeCacheLocation,
  codeCacheLocation,
  readBundle,
  readCodeCache,
  writeCodeCache,
} from '../../src/tools/cli/sendmail/code-cache.js';

const root = mkdtempSync(join(tmpdir(), 'mh-code-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, `case-${n++}`);
const posix = process.platform !== 'win32';

function location(dir = fresh()): CodeCacheLocation {
  return { dir, file: join(dir, 'sendmail-test.v8cache') };
}

const DATA = Buffer.from('pretend V8 code cache bytes \u0000\u0001\u00ff', 'latin1');
const ID = 'node v20 x64 1:2 3 4 bundle 10 1:5 6 7 //# mailhygiene-build sha256=ab';

describe('codeCacheLocation', () => {
  it('is off when MAILHYGIENE_CACHE_DIR is empty or "off"', () => {
    expect(
      codeCacheLocation('/x/sendmail-main.cjs', { MAILHYGIENE_CACHE_DIR: '' }),
    ).toBeUndefined();
    expect(
      codeCacheLocation('/x/sendmail-main.cjs', { MAILHYGIENE_CACHE_DIR: 'off' }),
    ).toBeUndefined();
  });

  it('uses MAILHYGIENE_CACHE_DIR, naming the file after bundle path, Node version and arch', () => {
    const loc = codeCacheLocation('/x/sendmail-main.cjs', {
      MAILHYGIENE_CACHE_DIR: '/var/cache/mh',
    });
    expect(loc?.dir).toBe('/var/cache/mh');
    expect(loc?.file).toMatch(
      new RegExp(
        `^/var/cache/mh/sendmail-[0-9a-f]{8}-${process.version.replace(/\./g, '\\.')}-${process.arch}\\.v8cache$`,
      ),
    );
  });

  it('defaults to a per-user directory in TMPDIR (trailing slash dropped), else /tmp', () => {
    const user = process.getuid?.() ?? 'user';
    expect(codeCacheLocation('/x/a.cjs', { TMPDIR: '/var/tmp/' })?.dir).toBe(
      `/var/tmp/mailhygiene-cache-${user}`,
    );
    expect(codeCacheLocation('/x/a.cjs', {})?.dir).toBe(`/tmp/mailhygiene-cache-${user}`);
  });

  it('gives two installations two files', () => {
    const a = codeCacheLocation('/srv/a/dist/cli/sendmail-main.cjs', {});
    const b = codeCacheLocation('/srv/b/dist/cli/sendmail-main.cjs', {});
    expect(a?.dir).toBe(b?.dir);
    expect(a?.file).not.toBe(b?.file);
  });
});

describe('readBundle', () => {
  it('returns the bytes and an identity ending in the build stamp line', () => {
    const dir = fresh();
    mkdirSync(dir);
    const path = join(dir, 'b.cjs');
    writeFileSync(path, 'console.log(1);\n//# mailhygiene-build sha256=00ff\n');
    const b = readBundle(path);
    expect(b.source.toString()).toBe('console.log(1);\n//# mailhygiene-build sha256=00ff\n');
    expect(b.identity).toMatch(/^node v\d+\.\d+\.\d+ \S+ .* bundle \d+ .*sha256=00ff$/);
  });

  it('tells bundles with different stamps apart, and bundles without one by their file', () => {
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.cjs'), 'x;\n//# mailhygiene-build sha256=aa\n');
    writeFileSync(join(dir, 'b.cjs'), 'x;\n//# mailhygiene-build sha256=bb\n');
    writeFileSync(join(dir, 'c.cjs'), 'x;\n//# mailhygiene-build sha256=bb\n');
    writeFileSync(join(dir, 'plain.cjs'), 'let x = 1;\n');
    const ids = ['a', 'b', 'c', 'plain'].map((f) => readBundle(join(dir, `${f}.cjs`)).identity);
    expect(new Set(ids).size).toBe(4); // b and c differ by inode
    expect(ids[3]).toMatch(/ let x = 1;$/);
  });
});

describe('writeCodeCache / readCodeCache', () => {
  it('round-trips the data for the same identity, in a private directory and file', () => {
    const loc = location();
    expect(writeCodeCache(loc, ID, DATA)).toBe(true);
    expect(readCodeCache(loc.file, ID)).toEqual(DATA);
    expect(readdirSync(loc.dir)).toEqual(['sendmail-test.v8cache']); // no temp file left
    if (posix) {
      expect(statSync(loc.dir).mode & 0o777).toBe(0o700);
      expect(statSync(loc.file).mode & 0o777).toBe(0o600);
    }
  });

  it('replaces an older cache in place', () => {
    const loc = location();
    writeCodeCache(loc, 'old', Buffer.from('old data'));
    expect(writeCodeCache(loc, ID, DATA)).toBe(true);
    expect(readCodeCache(loc.file, 'old')).toBeUndefined();
    expect(readCodeCache(loc.file, ID)).toEqual(DATA);
  });

  it('has nothing for another identity, a missing file or an empty one', () => {
    const loc = location();
    writeCodeCache(loc, ID, DATA);
    expect(readCodeCache(loc.file, `${ID}x`)).toBeUndefined();
    expect(readCodeCache(join(loc.dir, 'missing.v8cache'), ID)).toBeUndefined();
    writeFileSync(join(loc.dir, 'empty.v8cache'), '', { mode: 0o600 });
    expect(readCodeCache(join(loc.dir, 'empty.v8cache'), ID)).toBeUndefined();
  });

  it('rejects damaged data: a flipped byte, a cut-off or an extended file', () => {
    const loc = location();
    writeCodeCache(loc, ID, DATA);
    const good = readFileSync(loc.file);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 3]! ^= 0x40;
    for (const bad of [flipped, good.subarray(0, good.length - 1), Buffer.concat([good, DATA])]) {
      writeFileSync(loc.file, bad, { mode: 0o600 });
      expect(readCodeCache(loc.file, ID)).toBeUndefined();
    }
  });

  it.skipIf(!posix)('ignores a cache file others may write to, or a symlink', () => {
    const loc = location();
    writeCodeCache(loc, ID, DATA);
    chmodSync(loc.file, 0o622);
    expect(readCodeCache(loc.file, ID)).toBeUndefined();
    chmodSync(loc.file, 0o600);
    const link = join(loc.dir, 'link.v8cache');
    symlinkSync(loc.file, link);
    expect(readCodeCache(link, ID)).toBeUndefined();
    expect(readCodeCache(loc.file, ID)).toEqual(DATA);
  });

  it.skipIf(!posix)('does not write into a directory others may write to', () => {
    const dir = fresh();
    mkdirSync(dir, { mode: 0o700 });
    chmodSync(dir, 0o777);
    const loc = location(dir);
    expect(writeCodeCache(loc, ID, DATA)).toBe(false);
    expect(existsSync(loc.file)).toBe(false);
  });

  it('returns false instead of throwing when the directory cannot be made', () => {
    const file = join(root, `not-a-dir-${n++}`);
    writeFileSync(file, 'x');
    const loc = location(join(file, 'cache'));
    expect(writeCodeCache(loc, ID, DATA)).toBe(false);
    expect(readCodeCache(loc.file, ID)).toBeUndefined();
  });
});
