/**
 * `node --import tsx bench/pathological.ts`: the growth table of the
 * pathological inputs (issue 14). Each case runs at n and 4n in its own child
 * process; ratio = time(4n) / time(n): ~4 is linear, ~16 quadratic. A run over
 * the time limit shows as "> limit". BENCH_SMOKE=1 uses n / 10.
 */
import { CASES, runPathological } from './pathological-cases.js';

const fmtS = (t: number | null, limit: number) =>
  t === null ? `> ${limit} s` : `${(t * 1000).toFixed(t < 0.1 ? 1 : 0)} ms`;

export async function runPathologicalBench(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const smoke = env['BENCH_SMOKE'] === '1';
  const scale = Number(env['PATHOLOGICAL_SCALE'] ?? (smoke ? '0.1' : '4'));
  const limitS = Number(env['PATHOLOGICAL_LIMIT_S'] ?? '60');
  const rows = [
    '#### Pathological inputs (bench/pathological.ts): CPU time at n and 4n, one child process per case',
    '',
    '| input | op | n | time(n) | time(4n) | ratio |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const c of CASES) {
    const n = Math.max(4, Math.round(c.n * scale));
    // One child per op: a first op that runs out of time does not hide the next.
    for (const op of c.ops) {
      const [r] = await runPathological(c, n, limitS * 1000, [op]);
      if (!r) continue;
      const ratio =
        r.t1 !== null && r.t4 !== null
          ? (r.t4 / Math.max(r.t1, 1e-4)).toFixed(1)
          : (r.error ?? '—');
      rows.push(
        `| ${c.name.replace(/\|/g, '\\|')} | ${r.op} | ${n} | ${fmtS(r.t1, limitS)} | ${fmtS(r.t4, limitS)} | ${ratio} |`,
      );
      if (env['PATHOLOGICAL_PROGRESS'] === '1') process.stderr.write(`${rows.at(-1)}\n`);
    }
  }
  return `${rows.join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`)
  process.stdout.write(await runPathologicalBench());
