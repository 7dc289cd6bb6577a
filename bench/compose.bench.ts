/**
 * compose() against nodemailer, emailjs and mimetext, interleaved in one
 * process: the contact-form message (text + HTML), the 60 KB newsletter with
 * its text given, and the newsletter with the text generated from the HTML
 * (competitors: html-to-text's compiled converter, then nodemailer). Ours
 * runs with the default self-check (the wire verifier), `selfCheck: 'full'`
 * (verifier + lint's error rules) and `selfCheck: false`. Every
 * library's output is checked (bench/check.ts) and wrong outputs are marked.
 *
 *   node --import tsx bench/compose.bench.ts
 *
 * BENCH_ROUNDS / BENCH_BATCH_MS / BENCH_WARMUP_MS shorten it (smoke run).
 */
import { compile, convert } from 'html-to-text';
import { compose } from '../src/compose/compose.js';
import type { MessageInput } from '../src/compose/types.js';
import { checkMessage, roundTrip } from './check.js';
import { emailjsBuild, mimetextBuild, nodemailerBuild, type SimpleMail } from './competitors.js';
import { contactMessage, newsletterHtml, newsletterMessage } from './fixtures.js';
import { type BenchCase, benchOptionsFromEnv, markdownTable, runInterleaved } from './harness.js';

const OPTIONS = { envelopeFrom: 'bounces@example.com' };

function simple(m: MessageInput): SimpleMail {
  const addr = (a: unknown) => a as { name: string; address: string };
  const s: SimpleMail = {
    from: addr(m.from),
    to: m.to as string,
    subject: m.subject,
    text: m.text as string,
    date: m.date!,
  };
  if (m.replyTo) s.replyTo = addr(m.replyTo);
  if (m.html !== undefined) s.html = m.html as string;
  return s;
}

interface Scenario {
  title: string;
  cases: BenchCase[];
  /** One output per library for the correctness table. */
  outputs: Array<{ name: string; build: () => Promise<Buffer | string> }>;
  expected: { subject: string; text?: string; html?: string };
}

function scenarios(): Scenario[] {
  const contact = contactMessage();
  const cs = simple(contact);
  const html = newsletterHtml();
  // Like the perf anchors: the newsletter text is what html-to-text makes of the HTML.
  const nlText = convert(html);
  const nl = newsletterMessage(nlText);
  const ns = simple(nl);
  const nlGen = newsletterMessage();
  const converter = compile({});
  const nodemailerGen = () => nodemailerBuild({ ...ns, text: converter(html) });
  const noCheck = { ...OPTIONS, selfCheck: false };
  const fullCheck = { ...OPTIONS, selfCheck: 'full' as const };
  return [
    {
      title: 'Contact-form message (text 2 KB + HTML 6 KB, umlauts, emoji subject)',
      cases: [
        { name: 'nodemailer', fn: () => nodemailerBuild(cs) },
        { name: 'mailhygiene compose()', fn: () => compose(contact, OPTIONS) },
        { name: 'mailhygiene compose() selfCheck:false', fn: () => compose(contact, noCheck) },
        { name: "mailhygiene compose() selfCheck:'full'", fn: () => compose(contact, fullCheck) },
        { name: 'emailjs', fn: () => emailjsBuild(cs) },
        { name: 'mimetext', fn: () => mimetextBuild(cs) },
        { name: 'mimetext+b64(caller)', fn: () => mimetextBuild(cs, true) },
      ],
      outputs: [
        { name: 'mailhygiene', build: async () => (await compose(contact, OPTIONS)).raw },
        { name: 'nodemailer', build: () => nodemailerBuild(cs) },
        { name: 'emailjs', build: () => emailjsBuild(cs) },
        { name: 'mimetext', build: async () => mimetextBuild(cs) },
        { name: 'mimetext+b64(caller)', build: async () => mimetextBuild(cs, true) },
      ],
      expected: { subject: cs.subject, text: cs.text, html: cs.html! },
    },
    {
      title: `Newsletter (HTML ${Buffer.byteLength(html)} B, text given: ${Buffer.byteLength(nlText)} B from html-to-text)`,
      cases: [
        { name: 'nodemailer', fn: () => nodemailerBuild(ns) },
        { name: 'mailhygiene compose()', fn: () => compose(nl, OPTIONS) },
        { name: 'mailhygiene compose() selfCheck:false', fn: () => compose(nl, noCheck) },
        { name: "mailhygiene compose() selfCheck:'full'", fn: () => compose(nl, fullCheck) },
        { name: 'emailjs', fn: () => emailjsBuild(ns) },
        { name: 'mimetext', fn: () => mimetextBuild(ns) },
        { name: 'mimetext+b64(caller)', fn: () => mimetextBuild(ns, true) },
      ],
      outputs: [
        { name: 'mailhygiene', build: async () => (await compose(nl, OPTIONS)).raw },
        { name: 'nodemailer', build: () => nodemailerBuild(ns) },
        { name: 'emailjs', build: () => emailjsBuild(ns) },
        { name: 'mimetext', build: async () => mimetextBuild(ns) },
        { name: 'mimetext+b64(caller)', build: async () => mimetextBuild(ns, true) },
      ],
      expected: { subject: ns.subject, text: ns.text, html: ns.html! },
    },
    {
      title:
        'Newsletter, text generated from the HTML (ours: built-in htmlToText; nodemailer: html-to-text compile()d first)',
      cases: [
        { name: 'nodemailer + html-to-text', fn: nodemailerGen },
        { name: 'mailhygiene compose()', fn: () => compose(nlGen, OPTIONS) },
        { name: 'mailhygiene compose() selfCheck:false', fn: () => compose(nlGen, noCheck) },
      ],
      outputs: [
        { name: 'mailhygiene', build: async () => (await compose(nlGen, OPTIONS)).raw },
        { name: 'nodemailer + html-to-text', build: nodemailerGen },
      ],
      expected: { subject: ns.subject, html: ns.html! },
    },
  ];
}

/** Markdown table of the correctness checks of each library's output. */
async function checkTable(s: Scenario): Promise<string> {
  const lines = [
    '| library | bytes | text parts with charset | longest line | bare LF | longest encoded-word | decodes back (postal-mime) | verdict |',
    '|---|---:|---|---:|---:|---:|---|---|',
  ];
  for (const o of s.outputs) {
    const raw = await o.build();
    const c = checkMessage(raw);
    const rt = await roundTrip(raw, s.expected);
    const problems = [...c.problems, ...rt];
    const charsetProblems = c.problems.filter((p) => p.includes('without charset')).length;
    lines.push(
      `| ${o.name} | ${Buffer.byteLength(raw)} | ${c.textParts - charsetProblems}/${c.textParts} | ${c.maxLine} | ${c.bareLf} | ${c.maxEncodedWord} | ${rt.length ? 'no' : 'yes'} | ${problems.length ? `**WRONG**: ${problems.join('; ')}` : 'ok'} |`,
    );
  }
  return lines.join('\n');
}

/** Runs the scenarios; returns markdown. */
export async function runComposeBench(): Promise<string> {
  const options = benchOptionsFromEnv();
  const out: string[] = [];
  for (const s of scenarios()) {
    const result = await runInterleaved(s.cases, {
      ...options,
      baseline: s.cases[0]!.name,
      onRound: (r, n) =>
        process.stderr.write(`\r${s.title.slice(0, 40)}: round ${r}/${n}   ${r === n ? '\n' : ''}`),
    });
    out.push(`#### ${s.title}`, '', markdownTable(result, 'msg/s'), '', await checkTable(s), '');
  }
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(await runComposeBench());
}
