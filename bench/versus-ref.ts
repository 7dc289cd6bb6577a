/**
 * lint() and repair() of this tree against an older commit, in one process,
 * interleaved (the harness's rules): "no slower than before" as a ratio, not as
 * two numbers from two runs on a machine whose load changes.
 *
 *   git worktree add --detach /tmp/mh-ref 1cbf763
 *   ln -s "$PWD/node_modules" /tmp/mh-ref/node_modules
 *   REF=/tmp/mh-ref node --import tsx bench/versus-ref.ts
 *
 * Messages: the bench's contact form and newsletter (composed by this tree),
 * a windows-1252 PHP mail() message and the repair fixtures' PHP contact form;
 * lint() only: the 20 MiB attachment message (`ONLY=attachment` runs just it,
 * any label substring works).
 *
 * `CPU=1`: on a machine too busy for wall-clock rounds, alternate single calls
 * (before, now, now, before, …) and compare the medians of their CPU time
 * (`process.cpuUsage`), which waiting for a core does not inflate.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compose } from '../src/compose/compose.js';
import { lint } from '../src/lint/index.js';
import { repair } from '../src/repair/repair.js';
import { attachmentMessage, contactMessage, newsletterMessage } from './fixtures.js';
import { benchOptionsFromEnv, machineInfo, markdownTable, runInterleaved } from './harness.js';

interface Library {
  lint: typeof lint;
  repair: typeof repair;
}

const refDir = process.env['REF'];
if (!refDir) throw new Error('bench/versus-ref.ts: set REF to a checkout of the older commit');
const ref = (await import(pathToFileURL(resolve(refDir, 'src/index.ts')).href)) as Library;
const now = new Date('2026-12-04T12:00:00Z');

/**
 * A PHP 7 mail() message in windows-1252, LF line ends: umlauts in the Subject
 * (the old reader refused € there), € – „ “ in the body.
 */
function phpLegacy(): Buffer {
  const body = Array.from(
    { length: 40 },
    (_, i) => `Zeile ${i}: Preis 50 \x80 \x96 \x84Grüße\x93 aus Köln`,
  );
  return Buffer.from(
    [
      'To: kunde@example.org',
      'Subject: Ihre Bestellung für Köln',
      'From: "Jürgen Müller" <shop@example.com>',
      'X-Mailer: PHP/7.4.33',
      '',
      ...body,
      '',
    ].join('\n'),
    'latin1',
  );
}

const OPTIONS = { envelopeFrom: 'bounces@example.com' };
type Op = 'lint' | 'repair';
const BOTH: readonly Op[] = ['lint', 'repair'];
const only = process.env['ONLY'];
const messages: Array<[string, () => Promise<Buffer> | Buffer, readonly Op[]]> = [
  ['contact form', async () => (await compose(contactMessage(), OPTIONS)).raw, BOTH],
  ['newsletter', async () => (await compose(newsletterMessage(), OPTIONS)).raw, BOTH],
  ['PHP windows-1252', phpLegacy, BOTH],
  [
    'PHP contact form fixture',
    () => readFileSync(join(import.meta.dirname, '../test/fixtures/repair/php-contact-form.eml')),
    BOTH,
  ],
  [
    '20 MiB attachment',
    async () => (await compose(attachmentMessage('buffer'), OPTIONS)).raw,
    ['lint'],
  ],
];

/** Median CPU µs per call of each function, calls alternated one by one. */
async function cpuMedians(
  fns: readonly [() => unknown, () => unknown],
  calls: number,
): Promise<[number, number]> {
  const times: [number[], number[]] = [[], []];
  const once = async (k: 0 | 1) => {
    const start = process.cpuUsage();
    await fns[k]();
    const used = process.cpuUsage(start);
    times[k].push(used.user + used.system);
  };
  for (let i = 0; i < 10; i++) for (const k of [0, 1] as const) await once(k);
  times[0].length = times[1].length = 0;
  for (let i = 0; i < calls; i++) {
    // Alternate which goes first, so neither always runs on the other's warm caches.
    if (i % 2 === 0) await once(0).then(() => once(1));
    else await once(1).then(() => once(0));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  return [median(times[0]), median(times[1])];
}

const CPU = process.env['CPU'] === '1';
const env = benchOptionsFromEnv();
const out: string[] = [`### this tree vs ${refDir}`, '', JSON.stringify(machineInfo()), ''];
for (const [label, make, ops] of messages) {
  if (only && !label.includes(only)) continue;
  const raw = await make();
  const big = raw.length > 1 << 20;
  for (const op of ops) {
    const run = (lib: Library) =>
      op === 'lint' ? () => lib.lint(raw, { now }) : () => lib.repair(raw, { now: () => now });
    if (CPU) {
      const calls = Math.max(20, Math.min(1000, Math.round(3e8 / raw.length)));
      const [before, after] = await cpuMedians([run(ref), run({ lint, repair })], calls);
      const mib = (us: number) => (raw.length / 1048576 / (us / 1e6)).toFixed(1);
      out.push(
        `${op}(): ${label} (${raw.length} bytes), CPU µs per call, median of ${calls}: ` +
          `before ${before} (${mib(before)} MiB/s), now ${after} (${mib(after)} MiB/s), ` +
          `before/now ${(before / after).toFixed(2)}`,
      );
      continue;
    }
    const result = await runInterleaved(
      [
        { name: `${op}() before (REF)`, fn: run(ref), bytes: raw.length },
        { name: `${op}() now`, fn: run({ lint, repair }), bytes: raw.length },
      ],
      {
        ...(big ? { warmupMs: 300, batchMs: 100, rounds: 9 } : {}),
        ...env,
        onRound: (r, n) =>
          process.stderr.write(`\r${op} ${label}: round ${r}/${n}   ${r === n ? '\n' : ''}`),
      },
    );
    out.push(
      `#### ${op}(): ${label} (${raw.length} bytes)`,
      '',
      markdownTable(result, 'msg/s'),
      '',
    );
  }
}
console.log(out.join('\n'));
