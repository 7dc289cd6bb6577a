/**
 * What a piece of code loads, seen from a fresh Node process: the sendmail
 * shim starts for every PHP mail, so tests prove which optional packages
 * (tldts, iconv-lite) a path leaves unloaded.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');

/**
 * Runs `body` (an ES module body, run from the repository root through tsx,
 * with `process.argv[1..]` = `args`) and returns true when afterwards a
 * module from `node_modules/<pkg>` is in the require cache.
 */
export function loadsPackage(body: string, pkg: string, args: string[] = []): boolean {
  const script = `
    import { createRequire } from 'node:module';
    ${body}
    const cache = createRequire(import.meta.url).cache;
    console.log(Object.keys(cache).some((k) => k.includes('/node_modules/${pkg}/')));
  `;
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script, ...args],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return out.trim() === 'true';
}
