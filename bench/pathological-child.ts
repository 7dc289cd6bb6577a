/**
 * Child of bench/pathological-cases.ts: runs each op of one case at n/4
 * (warm-up), n and 4n and prints the CPU seconds of n and 4n as JSON lines (n first, so a
 * parent that kills a slow 4n run still has n).
 */

import { lint } from '../src/lint/index.js';
import { repair } from '../src/repair/repair.js';
import { htmlToText } from '../src/wire/body/html-to-text.js';
import { CASES, type Op, type PathologicalCase } from './pathological-cases.js';

async function once(c: PathologicalCase, op: Op, n: number): Promise<number> {
  const input = c.build(n);
  const t0 = process.cpuUsage();
  if (op === 'lint') lint(input);
  else if (op === 'html-to-text') htmlToText(input);
  else {
    // A refusal is an answer too: only the time counts here.
    await repair(input, { envelope: { from: 'a@example.org', to: ['b@example.org'] } }).catch(
      () => undefined,
    );
  }
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1e6;
}

const c = CASES[Number(process.argv[2])]!;
const n = Number(process.argv[3]);
for (const op of (process.argv[4]?.split(',') as Op[] | undefined) ?? c.ops) {
  await once(c, op, Math.max(1, Math.floor(n / 4)));
  const t1 = await once(c, op, n);
  process.stdout.write(`${JSON.stringify({ op, t1, t4: null })}\n`);
  const t4 = await once(c, op, 4 * n);
  process.stdout.write(`${JSON.stringify({ op, t1, t4 })}\n`);
}
