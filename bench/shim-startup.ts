/**
 * Start-up cost of `mailhygiene-sendmail`, the price of every PHP mail():
 * wall time of one process from spawn to exit for a typical PHP text mail
 * (file transport), against bare `node -e ''` and against a minimal shim on
 * nodemailer's MailComposer (bench/shim-startup/nodemailer-shim.cjs).
 *
 * Builds the bundle with tsup.sendmail.config.ts into .tmp/, checks that
 * every case really wrote its message, then runs `ROUNDS` interleaved rounds
 * (the case order rotates each round) and reports median/min/p90 and the
 * ratio to bare node, both of medians and as the median of per-round ratios.
 *
 * The shim runs twice: as installed (its V8 code cache, in the run's own
 * directory, is written by the first warm-up run and used from then on) and
 * with the cache off (`MAILHYGIENE_CACHE_DIR=off`: what the first mail after
 * an install or upgrade costs, or every mail when no cache can be written).
 *
 * NODE_EXTRA_CA_CERTS is removed from every case's environment: Node reads
 * that file at every start (about 70 ms here), which inflates bare node and
 * the shim alike and so flatters the ratio; PHP hosts do not normally set
 * it. KEEP_NODE_EXTRA_CA_CERTS=1 keeps it.
 *
 *   node --import tsx bench/shim-startup.ts            # ROUNDS=40 WARMUP=5 by default
 *   ROUNDS=100 node --import tsx bench/shim-startup.ts
 *   SHIM_BIN=dist/cli/sendmail.cjs node --import tsx bench/shim-startup.ts
 *   CPU=1 node --import tsx bench/shim-startup.ts   # also CPU time per process (Linux perf)
 *
 * On a busy machine wall times mostly measure the scheduler; with CPU=1 each
 * run goes through `perf stat -e task-clock` and the table gains the CPU time
 * of the process (children included), which load disturbs far less.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sendmailBuildArgs } from '../scripts/sendmail-build-command.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const ROUNDS = Number(process.env['ROUNDS'] ?? 40);
const WARMUP = Number(process.env['WARMUP'] ?? 5);

/** What PHP's mail() pipes to sendmail_path for a plain UTF-8 text mail (LF, no Date/Message-ID/MIME). */
const PHP_MAIL = Buffer.from(
  [
    'To: erika@example.org',
    'Subject: Ihre Bestellung 10457',
    'From: Web Shop <shop@example.com>',
    'Reply-To: service@example.com',
    'X-Mailer: PHP/8.2.36',
    '',
    'Hallo Erika,',
    '',
    'vielen Dank für Ihre Bestellung. Wir versenden die Ware in den nächsten Tagen.',
    '',
    'Viele Grüße',
    'Ihr Web-Shop-Team',
    '',
  ].join('\n'),
  'utf8',
);

interface Case {
  name: string;
  args: string[];
  env?: Record<string, string>;
  input?: Buffer;
  /** Checked once before timing: the run did its job. */
  verify?: () => void;
}

function build(): string {
  const outDir = join(REPO, '.tmp', 'bench-shim');
  execFileSync(process.execPath, sendmailBuildArgs(REPO, outDir), { cwd: REPO, stdio: 'inherit' });
  return join(outDir, 'cli/sendmail.cjs');
}

/** The environment every case starts from (see the note on NODE_EXTRA_CA_CERTS above). */
const BASE_ENV: NodeJS.ProcessEnv = { ...process.env };
if (!process.env['KEEP_NODE_EXTRA_CA_CERTS']) delete BASE_ENV['NODE_EXTRA_CA_CERTS'];

const CPU = process.env['CPU'] === '1';

/** Wall time and (with CPU=1) CPU time of one run, in ms. */
function runOnce(c: Case): { wall: number; cpu: number } {
  const [cmd, args] = CPU
    ? ['perf', ['stat', '-x,', '-e', 'task-clock', '--', process.execPath, ...c.args]]
    : [process.execPath, c.args];
  const t0 = performance.now();
  const r = spawnSync(cmd, args, {
    input: c.input ?? '',
    env: { ...BASE_ENV, ...c.env },
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${c.name} exited ${r.status}: ${r.stderr.toString()}`);
  if (!CPU) return { wall, cpu: Number.NaN };
  const line = r.stderr
    .toString()
    .split('\n')
    .find((l) => l.includes('task-clock'));
  if (!line) throw new Error(`${c.name}: no task-clock from perf: ${r.stderr.toString()}`);
  return { wall, cpu: Number(line.split(',')[0]) };
}

function quantile(sorted: number[], q: number): number {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (i - lo);
}

const median = (xs: number[]) =>
  quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

function main(): void {
  // SHIM_BIN: time an existing bundle (e.g. dist/cli/sendmail.cjs) instead of building one.
  const bin = process.env['SHIM_BIN'] ?? build();
  const work = mkdtempSync(join(REPO, '.tmp', 'bench-shim-run-'));
  const outbox = join(work, 'outbox');
  const nmOut = join(work, 'nodemailer-out');
  mkdirSync(nmOut, { recursive: true });
  const config = join(work, 'mailhygiene.json');
  writeFileSync(
    config,
    JSON.stringify({
      transport: { type: 'file', dir: outbox },
      envelopeFrom: 'bounces@example.com',
      deadLetterDir: join(work, 'dead'),
      log: join(work, 'shim.log'),
    }),
  );
  const cacheDir = join(work, 'v8cache');
  const wroteMail = () => {
    if (!readdirSync(outbox).some((f) => f.endsWith('.eml'))) throw new Error('shim wrote no .eml');
  };
  const cases: Case[] = [
    { name: "bare `node -e ''`", args: ['-e', ''] },
    {
      name: 'mailhygiene-sendmail -t -i (file transport)',
      args: [bin, '-t', '-i'],
      env: { MAILHYGIENE_CONFIG: config, MAILHYGIENE_CACHE_DIR: cacheDir },
      input: PHP_MAIL,
      verify: () => {
        wroteMail();
        // A bundle from before the code cache (SHIM_BIN) runs uncached; say so rather than fail.
        if (!existsSync(cacheDir) || !readdirSync(cacheDir).some((f) => f.endsWith('.v8cache')))
          console.log(`note: ${bin} wrote no code cache; its row is an uncached run`);
      },
    },
    {
      name: 'the same without code cache (first run)',
      args: [bin, '-t', '-i'],
      env: { MAILHYGIENE_CONFIG: config, MAILHYGIENE_CACHE_DIR: 'off' },
      input: PHP_MAIL,
      verify: wroteMail,
    },
    {
      name: 'nodemailer MailComposer shim',
      args: [join(REPO, 'bench/shim-startup/nodemailer-shim.cjs')],
      env: { SHIM_OUT_DIR: nmOut },
      input: PHP_MAIL,
      verify: () => {
        if (readdirSync(nmOut).length === 0) throw new Error('nodemailer shim wrote nothing');
      },
    },
  ];
  for (const c of cases) {
    runOnce(c);
    c.verify?.();
    for (let i = 1; i < WARMUP; i++) runOnce(c);
  }
  const times = cases.map(() => [] as number[]);
  const cpuTimes = cases.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < cases.length; k++) {
      const idx = (k + round) % cases.length;
      const t = runOnce(cases[idx]!);
      times[idx]!.push(t.wall);
      cpuTimes[idx]!.push(t.cpu);
    }
  }
  const base = times[0]!;
  const baseMedian = median(base);
  const rows = cases.map((c, i) => {
    const t = times[i]!;
    const sorted = [...t].sort((a, b) => a - b);
    const perRound = t.map((x, r) => x / base[r]!);
    const cpuCols = CPU
      ? ` ${median(cpuTimes[i]!).toFixed(1)} | ${median(cpuTimes[i]!.map((x, r) => x / cpuTimes[0]![r]!)).toFixed(2)}× |`
      : '';
    return `| ${c.name} | ${median(t).toFixed(1)} | ${sorted[0]!.toFixed(1)} | ${quantile(sorted, 0.9).toFixed(1)} | ${(median(t) / baseMedian).toFixed(2)}× | ${median(perRound).toFixed(2)}× |${cpuCols}`;
  });
  const cpu = cpus();
  console.log(`date: ${new Date().toISOString()}`);
  console.log(
    `machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, Node ${process.version}, ${process.platform}`,
  );
  console.log(`rounds: ${ROUNDS} interleaved (order rotating), warm-up ${WARMUP} runs per case`);
  console.log(
    `NODE_EXTRA_CA_CERTS: ${BASE_ENV['NODE_EXTRA_CA_CERTS'] === undefined ? 'unset for every case' : 'kept'}\n`,
  );
  console.log(
    `| case | median ms | min ms | p90 ms | median / bare | per-round ratio (median) |${CPU ? ' CPU ms (median) | CPU per-round ratio |' : ''}`,
  );
  console.log(`|---|---:|---:|---:|---:|---:|${CPU ? '---:|---:|' : ''}`);
  for (const row of rows) console.log(row);
  rmSync(work, { recursive: true, force: true });
}

main();
