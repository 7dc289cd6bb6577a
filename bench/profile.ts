/**
 * Profiling driver: runs one scenario in a loop for `node --cpu-prof`.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile.ts contact 3000
 *   node --import tsx bench/profile.ts --summary /tmp/prof/<file>.cpuprofile
 *
 * Scenarios: contact, newsletter, newsletter-gen, attachment, lint-small,
 * lint-newsletter, lint-attachment. `--summary` prints the top self-time
 * functions of a profile.
 */
import { readFileSync } from 'node:fs';
import { compose, composeStream } from '../src/compose/compose.js';
import { lint, SELF_CHECK_RULES } from '../src/lint/index.js';
import { attachmentMessage, contactMessage, newsletterMessage } from './fixtures.js';

function summary(file: string, top = 30): void {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: Array<{
      id: number;
      callFrame: { functionName: string; url: string; lineNumber: number };
    }>;
    samples: number[];
  };
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  for (const s of prof.samples) {
    const n = byId.get(s)!;
    const f = n.callFrame;
    const key = `${f.functionName || '(anon)'} ${f.url.replace(/^.*\/(src|node_modules)\//, '$1/')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + 1);
  }
  const total = prof.samples.length;
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
}

async function main(): Promise<void> {
  const [what = 'contact', nArg] = process.argv.slice(2);
  if (what === '--summary') return summary(nArg!);
  const n = Number(nArg ?? 2000);
  const opts = { envelopeFrom: 'bounces@example.com' };
  const run: Record<string, () => Promise<unknown> | unknown> = {
    contact: () => compose(contactMessage(), opts),
    'contact-nocheck': () => compose(contactMessage(), { ...opts, selfCheck: false }),
    newsletter: () => compose(newsletterMessage('Text '.repeat(7000)), opts),
    'newsletter-nocheck': () =>
      compose(newsletterMessage('Grüße und Text\n'.repeat(2800)), { ...opts, selfCheck: false }),
    'newsletter-gen': () => compose(newsletterMessage(), opts),
    attachment: () => compose(attachmentMessage('buffer'), opts),
    'stream-readable': async () => {
      let n = 0;
      for await (const c of (await composeStream(attachmentMessage('readable'), opts)).stream)
        n += (c as Buffer).length;
      return n;
    },
  };
  let raw: Buffer | undefined;
  if (what.startsWith('lint-')) {
    const src = what.slice(5);
    raw = (
      await compose(
        src === 'small'
          ? contactMessage()
          : src === 'newsletter'
            ? newsletterMessage()
            : attachmentMessage('buffer'),
        opts,
      )
    ).raw;
  }
  const fn = raw
    ? () => lint(raw!, process.env.SELF ? { rules: SELF_CHECK_RULES } : {})
    : run[what];
  if (!fn) throw new Error(`unknown scenario ${what}`);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  const ms = performance.now() - t0;
  console.log(`${what}: ${n} in ${ms.toFixed(0)} ms = ${((n * 1000) / ms).toFixed(0)}/s`);
}

await main();
