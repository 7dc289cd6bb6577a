/**
 * `npm run bench`: every benchmark scenario, in order, as one markdown report
 * on stdout (paste into BENCHMARKS.md) — compose (contact form, newsletter,
 * newsletter with generated text), the 20 MiB attachment (throughput, peak
 * RSS per child process, output checks), lint on three sizes, HTML → text and
 * the sendmail shim's cold start (with CPU time from `perf stat` where perf works),
 * and the growth of lint/repair time on pathological inputs (n and 4n).
 * `npm run bench:smoke` sets BENCH_SMOKE=1: tiny rounds, no thresholds — it
 * proves the benchmarks still run, not how fast anything is.
 *
 *   node --import tsx bench/run-all.ts            # full run, < 5 minutes
 *   BENCH_SMOKE=1 node --import tsx bench/run-all.ts
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runAddressBench } from './address.bench.js';
import { runAttachmentBench } from './attachment.bench.js';
import { runComposeBench } from './compose.bench.js';
import { machineInfo, packageVersion } from './harness.js';
import { runLintBench } from './lint.bench.js';
import { runPathologicalBench } from './pathological.js';

if (process.env['BENCH_SMOKE'] === '1') {
  process.env['BENCH_ROUNDS'] ??= '1';
  process.env['BENCH_BATCH_MS'] ??= '20';
  process.env['BENCH_WARMUP_MS'] ??= '20';
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const info = machineInfo();
  const versions: string[] = [];
  for (const p of ['nodemailer', 'emailjs', 'mimetext', 'html-to-text', 'postal-mime', 'zod'])
    versions.push(`${p} ${await packageVersion(p)}`);
  const out: string[] = [];
  out.push(
    `Run ${info.date} · node ${info.node} (V8 ${info.v8}) · ${info.platform} · ${info.cpu}, nproc ${info.nproc}, ${info.memory}`,
    `Load average at start: ${info.loadavg} · ${versions.join(' · ')}`,
    `Rounds: ${process.env['BENCH_ROUNDS'] ?? 'default'} · batch ms: ${process.env['BENCH_BATCH_MS'] ?? 'default'} · warm-up ms: ${process.env['BENCH_WARMUP_MS'] ?? 'default'}`,
    '',
  );
  out.push(await runComposeBench());
  out.push(await runAttachmentBench());
  out.push(await runLintBench());
  out.push(runAddressBench());
  out.push(await runPathologicalBench());
  // HTML → text has its own script (another engineer's); run it as it is.
  const here = fileURLToPath(new URL('.', import.meta.url));
  out.push(
    '#### HTML → text (bench/html-to-text.bench.ts)',
    '',
    execFileSync(process.execPath, ['--import', 'tsx', `${here}html-to-text.bench.ts`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  // The shim's cold start: its own script too (it builds the bundle into .tmp/ itself).
  const smoke = process.env['BENCH_SMOKE'] === '1';
  const perfWorks =
    spawnSync('perf', ['stat', '-x,', '-e', 'task-clock', '--', 'true'], { stdio: 'ignore' })
      .status === 0;
  out.push(
    '#### sendmail shim cold start (bench/shim-startup.ts)',
    '',
    execFileSync(process.execPath, ['--import', 'tsx', `${here}shim-startup.ts`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        ...(smoke ? { ROUNDS: '2', WARMUP: '1' } : {}),
        ...(perfWorks ? { CPU: '1' } : {}),
      },
    }),
  );
  out.push(
    `Load average at end: ${machineInfo().loadavg} · total ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
}

await main();
