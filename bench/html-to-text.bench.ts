/**
 * HTML → text: our converter against html-to-text 10 on the 60 KB newsletter
 * and the 6 KB contact-form HTML, interleaved in one process. Prints markdown
 * tables (and a short readability comparison) for BENCHMARKS.md.
 *
 *   node --import tsx bench/html-to-text.bench.ts
 *
 * BENCH_ROUNDS / BENCH_BATCH_MS / BENCH_WARMUP_MS shorten it (CI smoke run).
 * The ratio column is against html-to-text's pre-compiled converter, the
 * faster of its two APIs.
 */
import { compile, convert } from 'html-to-text';
import { htmlToText } from '../src/wire/body/html-to-text.js';
import { contactHtml, newsletterHtml } from './fixtures.js';
import {
  type BenchCase,
  benchOptionsFromEnv,
  machineInfo,
  markdownTable,
  packageVersion,
  runInterleaved,
} from './harness.js';

const newsletter = newsletterHtml();
const contact = contactHtml();
const compiled = compile({});
const nlBytes = Buffer.byteLength(newsletter);
const contactBytes = Buffer.byteLength(contact);

/** Link targets shown in a text (`<url>` for ours, `[url]` for html-to-text). */
function countTargets(text: string, open: string, close: string): number {
  let n = 0;
  for (let i = text.indexOf(open); i >= 0; i = text.indexOf(open, i + 1)) {
    const end = text.indexOf(close, i);
    if (end > i && /^(?:https?:|tel:|[^\s@]+@)/.test(text.slice(i + 1, end))) n++;
  }
  return n;
}

function longestLine(text: string): number {
  let max = 0;
  for (const l of text.split('\n')) max = Math.max(max, l.length);
  return max;
}

async function main(): Promise<void> {
  const options = benchOptionsFromEnv();
  const progress = (label: string) => (r: number, n: number) =>
    process.stderr.write(`\r${label}: round ${r}/${n}   ${r === n ? '\n' : ''}`);

  const newsletterCases: BenchCase[] = [
    { name: 'mailhygiene htmlToText', fn: () => htmlToText(newsletter), bytes: nlBytes },
    { name: 'html-to-text compile()d', fn: () => compiled(newsletter), bytes: nlBytes },
    { name: 'html-to-text convert()', fn: () => convert(newsletter), bytes: nlBytes },
  ];
  const contactCases: BenchCase[] = [
    { name: 'mailhygiene htmlToText', fn: () => htmlToText(contact), bytes: contactBytes },
    { name: 'html-to-text compile()d', fn: () => compiled(contact), bytes: contactBytes },
    { name: 'html-to-text convert()', fn: () => convert(contact), bytes: contactBytes },
  ];
  const baseline = 'html-to-text compile()d';
  const nl = await runInterleaved(newsletterCases, {
    baseline,
    ...options,
    onRound: progress('newsletter'),
  });
  const ct = await runInterleaved(contactCases, {
    baseline,
    ...options,
    onRound: progress('contact'),
  });

  const ours = htmlToText(newsletter);
  const theirs = convert(newsletter);
  const info = machineInfo();
  const out: string[] = [];
  out.push(`Run ${info.date} · node ${info.node} · ${info.cpu}, nproc ${info.nproc}`);
  out.push(
    `html-to-text ${await packageVersion('html-to-text')} · htmlparser2 ${await packageVersion('htmlparser2')} · ` +
      `rounds ${nl.rounds} × batch ${nl.batchMs} ms, warm-up ${nl.warmupMs} ms · load ${info.loadavg}`,
  );
  out.push('');
  out.push(`Newsletter HTML (${nlBytes} bytes), conversions per second:`);
  out.push('');
  out.push(markdownTable(nl, 'conv/s'));
  out.push('');
  out.push(`Contact-form HTML (${contactBytes} bytes), conversions per second:`);
  out.push('');
  out.push(markdownTable(ct, 'conv/s'));
  out.push('');
  out.push('Output on the newsletter (defaults of each converter):');
  out.push('');
  out.push('| converter | output chars | lines | longest line | link targets shown |');
  out.push('|---|---:|---:|---:|---:|');
  out.push(
    `| mailhygiene htmlToText (wrap 78) | ${ours.length} | ${ours.split('\n').length - 1} | ${longestLine(ours)} | ${countTargets(ours, '<', '>')} |`,
  );
  out.push(
    `| html-to-text convert() (wrap 80) | ${theirs.length} | ${theirs.split('\n').length} | ${longestLine(theirs)} | ${countTargets(theirs, '[', ']')} |`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
}

await main();
