/**
 * The project's one benchmark runner: every case of a scenario runs in the
 * same process, interleaved. Each case is warmed up, calibrated to a batch
 * size that takes about `batchMs`, then timed for `rounds` rounds; in every
 * round each case runs one batch, back to back, the order rotating by one
 * per round so no case always runs first (or right after the GC of another).
 * Reported: median, min and max of the per-round rates, the ratio of each
 * median to the baseline's median, and the median of the per-round ratios.
 *
 * No forced GC between batches: the perf anchors found that a forced GC
 * shrinks V8's young generation and slows the next batch; natural GC is what
 * an application sees.
 *
 * @example
 * ```ts
 * const result = await runInterleaved(
 *   [
 *     { name: 'ours', fn: () => htmlToText(html), bytes: html.length },
 *     { name: 'html-to-text', fn: () => convert(html), bytes: html.length },
 *   ],
 *   { baseline: 'html-to-text', ...benchOptionsFromEnv() },
 * );
 * console.log(markdownTable(result));
 * ```
 */
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';

export interface BenchCase {
  /** Row label; also how `baseline` refers to the case. */
  name: string;
  /** One operation. May return a promise: it is awaited before the next call. */
  fn: () => unknown | Promise<unknown>;
  /** Input bytes per operation, for a MiB/s column. */
  bytes?: number;
}

export interface BenchOptions {
  /** Name of the case the ratios are computed against. Default: the first case. */
  baseline?: string;
  /** Warm-up per case, ms (also used to calibrate the batch size). Default 1000. */
  warmupMs?: number;
  /** Timed rounds. Default 11. */
  rounds?: number;
  /** Target duration of one batch, ms. Default 500. */
  batchMs?: number;
  /** Called after every round (progress output). */
  onRound?: (round: number, rounds: number) => void;
}

export interface CaseResult {
  name: string;
  /** Operations per second, one entry per round. */
  rates: number[];
  median: number;
  min: number;
  max: number;
  /** Median rate / baseline median rate (higher = faster than the baseline). */
  ratio: number;
  /**
   * Per-round ratios (this case's rate / the baseline's rate in the same
   * round): median, min, max. Both ran back to back under the same machine
   * load, so on a noisy machine this is the steadier comparison.
   */
  roundRatio: { median: number; min: number; max: number };
  /** Milliseconds per operation at the median rate. */
  msPerOp: number;
  /** MiB of input per second at the median rate, when `bytes` was given. */
  mibPerSec?: number;
  /** Operations per timed batch (from the calibration). */
  batch: number;
}

export interface BenchResult {
  baseline: string;
  rounds: number;
  batchMs: number;
  warmupMs: number;
  cases: CaseResult[];
}

/** Results are stored here so the engine cannot drop calls as dead code. */
export let sink: unknown;

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    v !== null &&
    (typeof v === 'object' || typeof v === 'function') &&
    typeof (v as { then?: unknown }).then === 'function'
  );
}

/** Runs `n` calls; sync functions run in a tight loop, async ones one at a time. */
async function runBatch(fn: BenchCase['fn'], n: number, isAsync: boolean): Promise<number> {
  const t0 = performance.now();
  if (isAsync) {
    for (let i = 0; i < n; i++) sink = await fn();
  } else {
    for (let i = 0; i < n; i++) sink = fn();
  }
  return performance.now() - t0;
}

/** Warm up for `ms` and return the number of calls per batch of `batchMs`. */
async function warmAndCalibrate(
  c: BenchCase,
  ms: number,
  batchMs: number,
): Promise<{ batch: number; isAsync: boolean }> {
  const first = c.fn();
  const isAsync = isThenable(first);
  sink = isAsync ? await first : first;
  let calls = 1;
  let n = 1;
  const t0 = performance.now();
  let elapsed = 0;
  // Doubling batches: cheap timer use even for sub-microsecond functions.
  while (elapsed < ms) {
    await runBatch(c.fn, n, isAsync);
    calls += n;
    elapsed = performance.now() - t0;
    if (elapsed < ms / 4) n *= 2;
  }
  const perMs = calls / Math.max(elapsed, 1e-3);
  return { batch: Math.max(1, Math.round(perMs * batchMs)), isAsync };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  if (s.length === 0) return Number.NaN;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Run the cases interleaved (see the module comment) and summarise. */
export async function runInterleaved(
  cases: BenchCase[],
  options: BenchOptions = {},
): Promise<BenchResult> {
  if (cases.length === 0) throw new Error('runInterleaved: no cases');
  const names = new Set(cases.map((c) => c.name));
  if (names.size !== cases.length) throw new Error('runInterleaved: case names must be unique');
  const baseline = options.baseline ?? cases[0]!.name;
  if (!names.has(baseline)) throw new Error(`runInterleaved: no case named ${baseline}`);
  const warmupMs = options.warmupMs ?? 1000;
  const rounds = options.rounds ?? 11;
  const batchMs = options.batchMs ?? 500;

  const setup: Array<{ batch: number; isAsync: boolean }> = [];
  for (const c of cases) setup.push(await warmAndCalibrate(c, warmupMs, batchMs));

  const rates: number[][] = cases.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < cases.length; k++) {
      const i = (r + k) % cases.length;
      const { batch, isAsync } = setup[i]!;
      const ms = await runBatch(cases[i]!.fn, batch, isAsync);
      rates[i]!.push((batch * 1000) / Math.max(ms, 1e-6));
    }
    options.onRound?.(r + 1, rounds);
  }

  const baseIndex = cases.findIndex((c) => c.name === baseline);
  const baseRates = rates[baseIndex]!;
  const baseMedian = median(baseRates);
  const results: CaseResult[] = cases.map((c, i) => {
    const m = median(rates[i]!);
    const perRound = rates[i]!.map((rate, r) => rate / baseRates[r]!);
    const result: CaseResult = {
      name: c.name,
      rates: rates[i]!,
      median: m,
      min: Math.min(...rates[i]!),
      max: Math.max(...rates[i]!),
      ratio: m / baseMedian,
      roundRatio: {
        median: median(perRound),
        min: Math.min(...perRound),
        max: Math.max(...perRound),
      },
      msPerOp: 1000 / m,
      batch: setup[i]!.batch,
    };
    if (c.bytes !== undefined) result.mibPerSec = (m * c.bytes) / (1024 * 1024);
    return result;
  });
  return { baseline, rounds, batchMs, warmupMs, cases: results };
}

/**
 * Rounds, batch and warm-up from `BENCH_ROUNDS`, `BENCH_BATCH_MS` and
 * `BENCH_WARMUP_MS` (a CI smoke run sets them small), else the defaults.
 */
export function benchOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const o: BenchOptions = {};
  const num = (v: string | undefined) => {
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`bench: bad number ${JSON.stringify(v)}`);
    return n;
  };
  const rounds = num(env['BENCH_ROUNDS']);
  const batchMs = num(env['BENCH_BATCH_MS']);
  const warmupMs = num(env['BENCH_WARMUP_MS']);
  if (rounds !== undefined) o.rounds = Math.round(rounds);
  if (batchMs !== undefined) o.batchMs = batchMs;
  if (warmupMs !== undefined) o.warmupMs = warmupMs;
  return o;
}

/** Three significant digits, thousands separated: 1,234 · 56.7 · 0.123. */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 1000) return Math.round(n).toLocaleString('en-US');
  if (abs >= 100) return n.toFixed(0);
  if (abs >= 10) return n.toFixed(1);
  if (abs >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}

/**
 * The result as a markdown table: case, median/min/max ops/s, ratio vs the
 * baseline, time per op, and MiB/s when the cases declared their input bytes.
 */
export function markdownTable(result: BenchResult, opsLabel = 'ops/s'): string {
  const withBytes = result.cases.some((c) => c.mibPerSec !== undefined);
  const head = [
    'case',
    `median ${opsLabel}`,
    'min',
    'max',
    `ratio vs ${result.baseline}`,
    'per-round ratio median (min–max)',
    'ms per op (median)',
  ];
  if (withBytes) head.push('MiB/s (median)');
  const lines = [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
  ];
  for (const c of result.cases) {
    const row = [
      c.name,
      fmt(c.median),
      fmt(c.min),
      fmt(c.max),
      c.ratio.toFixed(2),
      `${c.roundRatio.median.toFixed(2)} (${c.roundRatio.min.toFixed(2)}–${c.roundRatio.max.toFixed(2)})`,
      c.msPerOp < 0.01 ? c.msPerOp.toPrecision(2) : c.msPerOp.toFixed(3),
    ];
    if (withBytes) row.push(c.mibPerSec === undefined ? '' : fmt(c.mibPerSec));
    lines.push(`| ${row.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Facts about the machine and run, for BENCHMARKS.md. */
export function machineInfo(): Record<string, string> {
  const cpu = cpus()[0];
  return {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpu === undefined ? 'unknown' : cpu.model.trim(),
    nproc: String(availableParallelism()),
    memory: `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    loadavg: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  };
}

/** `name version` of an installed package (from its package.json), for the report. */
export async function packageVersion(name: string): Promise<string> {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  try {
    const pkg = require(`${name}/package.json`) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    // Packages whose exports map hides package.json: find it next to the entry.
    const { readFileSync } = await import('node:fs');
    const { dirname, join } = await import('node:path');
    let dir = dirname(require.resolve(name));
    for (let i = 0; i < 6; i++) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
          name?: string;
          version?: string;
        };
        if (pkg.name === name) return pkg.version ?? 'unknown';
      } catch {
        // keep walking up
      }
      dir = dirname(dir);
    }
    return 'unknown';
  }
}
