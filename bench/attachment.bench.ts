/**
 * 20 MiB attachment: throughput in-process (all variants interleaved, one
 * message per batch) and peak RSS, each variant cold in its own child process
 * (bundled with esbuild first so no TypeScript loader runs in the child).
 * The output of each library is checked: the attachment must decode back
 * byte-identical (postal-mime) and no line may exceed 998 octets.
 *
 *   node --import tsx bench/attachment.bench.ts
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import PostalMime from 'postal-mime';
import { compose } from '../src/compose/compose.js';
import { attachmentVariants } from './attachment-variants.js';
import { checkMessage } from './check.js';
import { mimetextAttachment, nodemailerAttachmentBuild } from './competitors.js';
import { ATTACHMENT_SIZE, attachmentBuffer, attachmentMessage } from './fixtures.js';
import { benchOptionsFromEnv, fmt, markdownTable, median, runInterleaved } from './harness.js';

const here = fileURLToPath(new URL('.', import.meta.url));

async function bundleChild(): Promise<string> {
  const { build } = await import('esbuild');
  // Inside node_modules so the bundle's bare imports (nodemailer, …) still resolve; never committed.
  const outfile = `${here}../node_modules/.cache/mailhygiene-bench/attachment-child.mjs`;
  await build({
    entryPoints: [`${here}attachment-child.ts`],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

interface ChildResult {
  name: string;
  ms: number;
  before: number;
  maxBefore: number;
  peak: number;
}

function runChild(file: string, name: string): ChildResult {
  const out = execFileSync(process.execPath, [file, name], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
}

async function correctness(): Promise<string> {
  const buf = attachmentBuffer();
  const outputs: Array<[string, () => Promise<Buffer | string>]> = [
    [
      'mailhygiene',
      async () =>
        (await compose(attachmentMessage('buffer'), { envelopeFrom: 'b@example.com' })).raw,
    ],
    ['nodemailer', () => nodemailerAttachmentBuild(buf)],
    ['mimetext (caller base64)', async () => mimetextAttachment(buf)],
  ];
  const lines = [
    '| library | message bytes | longest line | attachment decodes byte-identical | verdict |',
    '|---|---:|---:|---|---|',
  ];
  for (const [name, build] of outputs) {
    const raw = await build();
    const c = checkMessage(raw);
    const email = await PostalMime.parse(raw);
    const att = email.attachments[0]?.content;
    const same = att !== undefined && Buffer.from(att as ArrayBuffer).equals(buf);
    const problems = [...c.problems, ...(same ? [] : ['attachment differs'])];
    lines.push(
      `| ${name} | ${Buffer.byteLength(raw)} | ${c.maxLine} | ${same ? 'yes' : 'no'} | ${problems.length ? `**WRONG**: ${problems.join('; ')}` : 'ok'} |`,
    );
  }
  return lines.join('\n');
}

/** Runs throughput, memory and correctness; returns markdown. */
export async function runAttachmentBench(): Promise<string> {
  const env = benchOptionsFromEnv();
  const smoke = env.rounds !== undefined && env.rounds <= 2;
  const names = Object.keys(attachmentVariants);
  const result = await runInterleaved(
    [
      ...names.map((name) => ({ name, fn: attachmentVariants[name]!, bytes: ATTACHMENT_SIZE })),
      // Physical-limit references on this machine in this run: native base64 without line
      // wrapping, and a plain copy. Absolute MiB/s on a loaded VM only mean something next to these.
      {
        name: 'reference: buf.toString("base64"), unwrapped',
        fn: async () => attachmentBuffer().toString('base64').length,
        bytes: ATTACHMENT_SIZE,
      },
      {
        name: 'reference: Buffer.from(buf) (memcpy)',
        fn: async () => Buffer.from(attachmentBuffer()).length,
        bytes: ATTACHMENT_SIZE,
      },
    ],
    {
      warmupMs: 300,
      batchMs: 50, // one message per batch: every round is a single shot per variant
      rounds: 9,
      ...env,
      baseline: 'nodemailer stream(Buffer)',
      onRound: (r, n) =>
        process.stderr.write(`\rattachment: round ${r}/${n}   ${r === n ? '\n' : ''}`),
    },
  );
  const out = [
    '#### 20 MiB attachment: throughput (MiB/s of attachment input)',
    '',
    markdownTable(result, 'msg/s'),
    '',
  ];

  const child = await bundleChild();
  const runs = smoke ? 1 : 3;
  const mem = [
    '| variant | peak RSS MiB (median) | RSS before build MiB | peak minus before MiB (median, min–max) | cold build ms |',
    '|---|---:|---:|---:|---:|',
  ];
  const MiB = 1024 * 1024;
  for (const name of ['baseline', ...names]) {
    const rs = Array.from({ length: runs }, () => runChild(child, name));
    const over = rs.map((r) => (r.peak - r.before) / MiB);
    mem.push(
      `| ${name} | ${fmt(median(rs.map((r) => r.peak / MiB)))} | ${fmt(median(rs.map((r) => r.before / MiB)))} | ${fmt(median(over))} (${fmt(Math.min(...over))}–${fmt(Math.max(...over))}) | ${fmt(median(rs.map((r) => r.ms)))} |`,
    );
    process.stderr.write(`memory: ${name}\n`);
  }
  out.push(
    '#### 20 MiB attachment: peak RSS, each variant cold in its own child process',
    '',
    ...mem,
    '',
  );
  out.push('#### 20 MiB attachment: output checks', '', await correctness(), '');
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(await runAttachmentBench());
}
