/**
 * Packs the built package (`npm pack`) and installs the tarball into a fresh
 * project under the system's temporary directory, as a user would: nothing
 * resolves from this repository's node_modules there, so a dependency missing
 * from package.json, a file missing from `files` or a broken bin link fails here.
 *
 * Offline-friendly: `npm ci` has just put every dependency into the npm cache,
 * and the install prefers it (`--prefer-offline`); the registry is only asked
 * for what the cache lacks.
 */
import { execFileSync, type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { cp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '../../..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** What `npm pack --json` reports. */
export interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: Array<{ path: string; size: number }>;
}

export interface InstalledProject {
  /** The temporary project; `node_modules/mailhygiene` is the installed package. */
  dir: string;
  tarball: string;
  pack: PackResult;
  /** `node_modules/.bin/<name>` of the project. */
  bin(name: string): string;
  /** Runs a command in the project with `NO_COLOR` set. */
  run(
    file: string,
    args: string[],
    opts?: { input?: string | Buffer; env?: Record<string, string> },
  ): { code: number | null; stdout: string; stderr: string };
  remove(): Promise<void>;
}

/**
 * The environment for child processes: without the variables `npm run` sets for
 * this repository (npm_package_*, npm_lifecycle_*, npm_config_local_prefix …),
 * which would make a nested npm act on the repository instead of the project.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_(package|lifecycle)_|^npm_config_(local_prefix|prefix|global)$|^INIT_CWD$/i.test(k))
      continue;
    env[k] = v;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

/** Fails early and clearly when dist/ is missing or older than src/ (run `npm run build`). */
function assertBuilt(): void {
  const entry = join(ROOT, 'dist/index.js');
  if (!existsSync(entry)) throw new Error('dist/ is missing: run `npm run build` first');
  const built = statSync(entry).mtimeMs;
  const newest = newestMtime(join(ROOT, 'src'));
  if (newest > built) throw new Error('dist/ is older than src/: run `npm run build` first');
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** The exact version of a dev dependency of this repository (so the cache has it). */
function devVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  const v = pkg.devDependencies[name];
  if (!v) throw new Error(`${name} is not a dev dependency`);
  return v;
}

function npm(args: string[], cwd: string): string {
  try {
    return execFileSync(NPM, args, { cwd, env: cleanEnv(), encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`npm ${args.join(' ')} failed: ${err.message}\n${err.stdout}\n${err.stderr}`);
  }
}

/** Packs the package and installs it into a new temporary project. */
export async function installPackage(): Promise<InstalledProject> {
  assertBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'mailhygiene-installed-'));
  const [pack] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], ROOT)) as [
    PackResult,
  ];
  const tarball = join(dir, pack.filename);
  await writeFile(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'mailhygiene-installed-test', private: true }, null, 2)}\n`,
  );
  // The typed usage files and their tsconfigs (test/installed/project).
  await cp(join(ROOT, 'test/installed/project'), dir, { recursive: true });
  npm(
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      tarball,
      `@types/node@${devVersion('@types/node')}`,
    ],
    dir,
  );
  return {
    dir,
    tarball,
    pack,
    bin: (name) => join(dir, 'node_modules/.bin', name),
    run(file, args, opts = {}) {
      const r: SpawnSyncReturns<string> = spawnSync(file, args, {
        cwd: dir,
        input: opts.input,
        env: cleanEnv(opts.env),
        encoding: 'utf8',
      });
      if (r.error) throw r.error;
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The script of a dev dependency's bin in this repository (run with `node`). */
export function devBin(pkgName: string, bin: string): string {
  const dir = join(ROOT, 'node_modules', pkgName);
  const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    bin: Record<string, string>;
  };
  const rel = meta.bin[bin];
  if (!rel) throw new Error(`${pkgName} has no bin ${bin}`);
  return join(dir, rel);
}
