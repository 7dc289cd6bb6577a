/**
 * lint() throughput on three composed messages: the contact form (~11 KB),
 * the newsletter (~120 KB) and the 20 MiB attachment message (~28 MB), with
 * the full rule set and with the self-check's subset (SELF_CHECK_RULES).
 * MiB/s is of raw message bytes.
 *
 *   node --import tsx bench/lint.bench.ts
 */
import { compose } from '../src/compose/compose.js';
import { lint, SELF_CHECK_RULES } from '../src/lint/index.js';
import { attachmentMessage, contactMessage, newsletterMessage } from './fixtures.js';
import { benchOptionsFromEnv, markdownTable, runInterleaved } from './harness.js';

const OPTIONS = { envelopeFrom: 'bounces@example.com' };
const selfCheck = { rules: SELF_CHECK_RULES };

/** Runs the lint scenarios; returns markdown. */
export async function runLintBench(): Promise<string> {
  const env = benchOptionsFromEnv();
  const messages: Array<[string, Buffer]> = [
    ['contact form', (await compose(contactMessage(), OPTIONS)).raw],
    ['newsletter', (await compose(newsletterMessage(), OPTIONS)).raw],
    ['20 MiB attachment', (await compose(attachmentMessage('buffer'), OPTIONS)).raw],
  ];
  const out: string[] = [];
  for (const [label, raw] of messages) {
    const big = raw.length > 1 << 20;
    const result = await runInterleaved(
      [
        { name: 'lint() all rules', fn: () => lint(raw), bytes: raw.length },
        { name: 'lint() self-check rules', fn: () => lint(raw, selfCheck), bytes: raw.length },
      ],
      {
        ...(big ? { warmupMs: 300, batchMs: 100, rounds: 9 } : {}),
        ...env,
        onRound: (r, n) =>
          process.stderr.write(`\rlint ${label}: round ${r}/${n}   ${r === n ? '\n' : ''}`),
      },
    );
    out.push(`#### lint(): ${label} (${raw.length} bytes)`, '', markdownTable(result, 'msg/s'), '');
  }
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(await runLintBench());
}
