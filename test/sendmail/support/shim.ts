/**
 * Builds the real `mailhygiene-sendmail` bundle (tsup.sendmail.config.ts) and
 * runs it as a child process, as PHP does. The bundle goes under
 * `.tmp/` inside the repository so its external `require`s (iconv-lite,
 * htmlparser2, nodemailer) resolve from the repository's node_modules.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sendmailBuildArgs } from '../../../scripts/sendmail-build-command.js';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Bundles the shim once per test file into `.tmp/sendmail-bundle-<pid>-<random>/` and
 * returns the path of `cli/sendmail.cjs`.
 */
let built: Promise<string> | undefined;
/** Sandboxes and bundle directories this process made. */
const created: string[] = [];
export function buildShim(): Promise<string> {
  built ??= (async () => {
    const outDir = join(REPO, '.tmp', `sendmail-bundle-${process.pid}-${randomUUID().slice(0, 8)}`);
    created.push(outDir);
    await promisify(execFile)(process.execPath, sendmailBuildArgs(REPO, outDir), { cwd: REPO });
    const bin = join(outDir, 'cli/sendmail.cjs');
    if (!existsSync(bin)) throw new Error(`tsup did not write ${bin}`);
    return bin;
  })();
  return built;
}

export interface ShimRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the bundle with `argv`, `input` on stdin and the given environment
 * additions. Its V8 code cache goes beside the bundle (removed with it)
 * unless `env` names another `MAILHYGIENE_CACHE_DIR`.
 */
export function runShim(
  bin: string,
  argv: string[],
  input: Buffer | string,
  env: Record<string, string>,
): Promise<ShimRun> {
  return new Promise((resolve, reject) => {
    const cacheDir = join(dirname(dirname(bin)), 'v8cache');
    const child = spawn(process.execPath, [bin, ...argv], {
      env: { ...process.env, MAILHYGIENE_CACHE_DIR: cacheDir, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => {}); // the shim may stop reading at a lone "."
    child.stdin.end(input);
  });
}

/** A fresh working area: config file, outbox, dead-letter directory, log file. */
export interface ShimSandbox {
  dir: string;
  configPath: string;
  outbox: string;
  deadLetters: string;
  logFile: string;
  /** Writes the config (defaults: file transport into `outbox`, log into `logFile`). */
  writeConfig(overrides?: Record<string, unknown>): Promise<void>;
  /** The `.eml` files in a directory with their `.json` records, sorted by name. */
  files(dir: string): Promise<Array<{ eml: Buffer; json: Record<string, unknown>; name: string }>>;
  /** Parsed JSON log lines. */
  logLines(): Promise<Array<Record<string, unknown>>>;
}

/** Removes every sandbox and bundle this process made (call in afterAll). */
export async function removeSandboxes(): Promise<void> {
  await Promise.all(created.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

export async function sandbox(root = join(REPO, '.tmp')): Promise<ShimSandbox> {
  await mkdir(root, { recursive: true });
  const dir = await mkdtemp(join(root, 'shim-'));
  created.push(dir);
  const s: ShimSandbox = {
    dir,
    configPath: join(dir, 'mailhygiene.json'),
    outbox: join(dir, 'outbox'),
    deadLetters: join(dir, 'dead'),
    logFile: join(dir, 'shim.log'),
    async writeConfig(overrides = {}) {
      const config = {
        transport: { type: 'file', dir: s.outbox },
        envelopeFrom: 'bounces@example.com',
        deadLetterDir: s.deadLetters,
        log: s.logFile,
        ...overrides,
      };
      await writeFile(s.configPath, JSON.stringify(config, null, 2));
    },
    async files(where) {
      let names: string[] = [];
      try {
        names = (await readdir(where)).filter((n) => n.endsWith('.eml')).sort();
      } catch {
        return [];
      }
      return Promise.all(
        names.map(async (name) => ({
          name,
          eml: await readFile(join(where, name)),
          json: JSON.parse(await readFile(join(where, name.replace(/\.eml$/, '.json')), 'utf8')),
        })),
      );
    },
    async logLines() {
      let text = '';
      try {
        text = await readFile(s.logFile, 'utf8');
      } catch {
        return [];
      }
      return text
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    },
  };
  await s.writeConfig();
  return s;
}

/** True when a program is on PATH (for oracle prerequisites). */
export function hasProgram(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}
