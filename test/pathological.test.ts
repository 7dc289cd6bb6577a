/**
 * Hostile input costs linear time (issue 14). Every case of
 * bench/pathological-cases.ts runs at n and 4n in a child process (CPU time
 * from process.cpuUsage, so other load on the machine matters little). The
 * bound is generous on purpose: this is no benchmark (BENCHMARKS.md has the
 * growth table), it stops a quadratic scanner from shipping. A quadratic one
 * shows time(4n)/time(n) ≈ 16 and seconds at 4n; a linear one ≈ 4 and
 * milliseconds. A case fails only when 4n is slow in absolute terms AND grew
 * super-linearly, twice in a row.
 */
import { describe, expect, it } from 'vitest';
import { CASES, runPathological, type Timing } from '../bench/pathological-cases.js';

/** time(4n) / time(n) above which growth counts as super-linear (linear: 4, quadratic: 16). */
const MAX_RATIO = 10;
/** time(4n) under which the ratio is noise, not a finding (CPU seconds). */
const FLOOR_S = 0.3;
/** time(4n) that fails whatever the ratio (CPU seconds). */
const MAX_S = 5;
/** Wall time a child may take: generous, as other tests share the CPU. */
const CHILD_TIMEOUT_MS = 120_000;
/** Children at once: two overlap tsx's start-up without crowding a small CI machine. */
const PARALLEL = 2;

function verdict(t: Timing): string | undefined {
  if (t.error) return `child failed: ${t.error}`;
  if (t.t1 === null || t.t4 === null) return `over ${CHILD_TIMEOUT_MS / 1000} s`;
  const ratio = t.t4 / Math.max(t.t1, 1e-3);
  if (t.t4 > MAX_S) return `time(4n) ${t.t4.toFixed(2)} s > ${MAX_S} s`;
  if (t.t4 > FLOOR_S && ratio > MAX_RATIO)
    return `time(4n)/time(n) = ${t.t4.toFixed(3)}/${t.t1.toFixed(3)} = ${ratio.toFixed(1)} > ${MAX_RATIO}`;
  return undefined;
}

let running = 0;
const waiting: Array<() => void> = [];
/** Runs `f` when fewer than PARALLEL others run. */
async function limited<T>(f: () => Promise<T>): Promise<T> {
  if (running >= PARALLEL) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await f();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** The problems of one run, one line per op; '' when all are within bounds. */
async function problems(c: (typeof CASES)[number]): Promise<string> {
  const timings = await limited(() => runPathological(c, c.n, CHILD_TIMEOUT_MS));
  return timings
    .map((t) => {
      const v = verdict(t);
      return v && `${t.op}: ${v}`;
    })
    .filter(Boolean)
    .join('; ');
}

// Concurrent: most of a child's wall time is starting tsx; the CPU time measured is its own.
describe.concurrent('pathological inputs run in linear time (issue 14)', () => {
  for (const c of CASES) {
    it(`${c.ops.join(' + ')}: ${c.name} (n = ${c.n})`, {
      timeout: 3 * CHILD_TIMEOUT_MS,
    }, async () => {
      // One retry: a single slow run on a loaded machine is not a regression.
      const first = await problems(c);
      const second = first && (await problems(c));
      expect(second, first).toBe('');
    });
  }
});
