/**
 * What a user of the published package sees before running anything: the
 * licence, where the project lives, the documents the CLI points to, and
 * whether `npm ci` installs cleanly on the Node versions we claim.
 * (test/installed/ packs and installs the package itself.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');

interface PackageJson {
  license: string;
  repository?: { type: string; url: string };
  homepage?: string;
  bugs?: { url: string };
  files: string[];
  engines: { node: string };
}
interface Lockfile {
  packages: Record<string, { version?: string; dev?: boolean; engines?: { node?: string } }>;
}
const pkg = JSON.parse(read('package.json')) as PackageJson;

/**
 * Developing needs more than using: vitest 4, vite 8 and html-to-text need
 * Node ^20.19 (README, Development). Runtime dependencies must run on every
 * version `engines` allows.
 */
const DEV_NODE_FLOOR = '20.19.0';

describe('package metadata', () => {
  it('has an MIT LICENSE file matching package.json', () => {
    expect(pkg.license).toBe('MIT');
    const license = read('LICENSE');
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} mailhygiene contributors\n/);
    expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS"');
  });
  it('names its repository, homepage and issue tracker', () => {
    expect(pkg.repository).toEqual({
      type: 'git',
      url: 'git+https://github.com/mailhygiene/mailhygiene.git',
    });
    expect(pkg.homepage).toBe('https://github.com/mailhygiene/mailhygiene#readme');
    expect(pkg.bugs).toEqual({ url: 'https://github.com/mailhygiene/mailhygiene/issues' });
  });
  it('ships the rule catalogue that README and `lint --help` point to', () => {
    expect(pkg.files).toContain('docs/HYGIENE-RULES.md');
    expect(read('README.md')).toContain('](docs/HYGIENE-RULES.md)');
  });
});

describe('engines: npm ci warns about nothing on our Node floor', () => {
  const lock = JSON.parse(read('package-lock.json')) as Lockfile;
  const floor = semver.minVersion(pkg.engines.node)!.version;
  const misfits = (dev: boolean, node: string) =>
    Object.entries(lock.packages)
      .filter(([path, p]) => path !== '' && Boolean(p.dev) === dev && p.engines?.node)
      .filter(([, p]) => !semver.satisfies(node, p.engines!.node!))
      .map(
        ([path, p]) => `${path.replace(/^.*node_modules\//, '')}@${p.version} (${p.engines!.node})`,
      );

  it(`runtime dependencies run on Node ${floor} (package.json engines)`, () => {
    expect(misfits(false, floor)).toEqual([]);
  });
  it(`dev dependencies install on Node ${DEV_NODE_FLOOR} (no EBADENGINE)`, () => {
    expect(misfits(true, DEV_NODE_FLOOR)).toEqual([]);
  });
});
