/**
 * Pathological inputs (issue 14): hostile shapes that made a backtracking
 * regex or a quadratic loop cost seconds on a few hundred KB. Each case builds
 * its input at size n; `runPathological` times it at n and 4n in a child
 * process, so a linear scanner shows a ratio near 4 and a quadratic one ~16.
 * Shared by bench/pathological.ts (the growth table) and
 * test/pathological.test.ts (a generous bound in CI).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export type Op = 'lint' | 'repair' | 'html-to-text';

export interface PathologicalCase {
  name: string;
  /** What runs over the input, each timed on its own. */
  ops: Op[];
  /** Size unit of n (a repetition of the hostile fragment). */
  n: number;
  build: (n: number) => string;
}

const CRLF = '\r\n';
const head = (extra: string) =>
  `From: a@example.org${CRLF}To: b@example.org${CRLF}Subject: hi${CRLF}Date: Thu, 01 Jan 2026 00:00:00 +0000${CRLF}Message-ID: <m1@example.org>${CRLF}${extra}`;
/** A message whose one header field is replaced by `name: value`. */
function withHeader(name: string, value: string): string {
  const base = head('MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n')
    .split(CRLF)
    .filter((l) => l !== '' && !l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return `${base.join(CRLF)}${CRLF}${name}: ${value}${CRLF}${CRLF}body${CRLF}`;
}
function htmlMessage(html: string): string {
  return `${head('MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n')}${CRLF}${html}${CRLF}`;
}
/** Folds a long value into lines of ~70 octets so line length is not the story. */
function fold(s: string): string {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += 70) out.push(s.slice(i, i + 70));
  return out.join(`${CRLF} `);
}
/** Deterministic PRNG (mulberry32): the generated cases are the same every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** n characters drawn from the specials that header scanners branch on. */
function specials(n: number, seed: number, alphabet = '"\\()<>@,;:.[] a=?*\'%'): string {
  const r = prng(seed);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
}

const both = (c: Omit<PathologicalCase, 'ops'>): PathologicalCase => ({
  ...c,
  ops: ['lint', 'repair'],
});

export const CASES: PathologicalCase[] = [
  both({ name: 'To: "\\ × n', n: 12_500, build: (n) => withHeader('To', '"\\'.repeat(n)) }),
  both({
    name: 'From: quoted display name, n letters',
    n: 50_000,
    build: (n) => withHeader('From', `"${'a'.repeat(n)}" <a@example.org>`),
  }),
  both({
    name: 'To: unterminated quote, n chars',
    n: 50_000,
    build: (n) => withHeader('To', `"${'a'.repeat(n)} <b@example.org>`),
  }),
  both({
    name: 'To: encoded-word display name of n letters',
    n: 20_000,
    build: (n) =>
      withHeader(
        'To',
        `${fold(`=?utf-8?b?${Buffer.from('a'.repeat(n)).toString('base64')}?=`)} <b@example.org>`,
      ),
  }),
  both({ name: 'To: <@ × n', n: 20_000, build: (n) => withHeader('To', '<@'.repeat(n)) }),
  both({
    name: 'Content-Type: ( × n',
    n: 20_000,
    build: (n) => withHeader('Content-Type', `text/plain${'('.repeat(n)}`),
  }),
  both({
    name: 'Content-Disposition: ( × n',
    n: 20_000,
    build: (n) => withHeader('Content-Disposition', `attachment; filename=a${'('.repeat(n)}`),
  }),
  both({
    name: 'Content-Type: "( × n in a parameter',
    n: 20_000,
    build: (n) => withHeader('Content-Type', `text/plain; a="${'\\('.repeat(n)}`),
  }),
  both({
    name: 'Message-ID: open comments after it',
    n: 20_000,
    build: (n) => withHeader('Message-ID', `<m1@example.org> ${'( '.repeat(n)}x`),
  }),
  both({
    name: 'MIME-Version: ( × n',
    n: 20_000,
    build: (n) => withHeader('MIME-Version', `1.0 ${'('.repeat(n)}`),
  }),
  both({
    name: 'List-Unsubscribe: ( × n',
    n: 20_000,
    build: (n) => withHeader('List-Unsubscribe', `<mailto:u@example.org> ${'('.repeat(n)}`),
  }),
  both({
    name: 'Subject: encoded-word chain of n words',
    n: 2_000,
    build: (n) => withHeader('Subject', fold('=?utf-8?q?a?= '.repeat(n))),
  }),
  both({
    name: 'Subject: =?utf-8* × n',
    n: 20_000,
    build: (n) => withHeader('Subject', `=?utf-8${'*'.repeat(n)}?q?a?=`),
  }),
  both({
    // Exponential before the fix: 2^n backtracking steps for n escapes.
    name: 'Subject: Q-encoded word of n escapes and a space',
    n: 8,
    build: (n) => withHeader('Subject', `=?utf-8?q?${'=41'.repeat(n)} ?=`),
  }),
  both({
    name: 'Subject: =? × n',
    n: 5_000,
    build: (n) => withHeader('Subject', fold('=?'.repeat(n))),
  }),
  both({
    name: 'Date: whitespace × n',
    n: 20_000,
    build: (n) => withHeader('Date', `Thu, 01 Jan 2026 00:00:00 +0000${' '.repeat(n)}x`),
  }),
  both({
    name: 'HTML body: < × n',
    n: 25_000,
    build: (n) => htmlMessage('<'.repeat(n)),
  }),
  both({
    name: 'HTML body: <meta  × n',
    n: 5_000,
    build: (n) => htmlMessage('<meta '.repeat(n)),
  }),
  both({
    name: 'HTML body: <script × n',
    n: 5_000,
    build: (n) => htmlMessage('<script '.repeat(n)),
  }),
  both({
    name: 'Generated: random specials in To/Cc/Content-Type',
    n: 20_000,
    build: (n) =>
      withHeader('To', fold(specials(n, 1))).replace(
        `${CRLF}${CRLF}`,
        `${CRLF}Cc: ${fold(specials(n, 2))}${CRLF}Reply-To: ${fold(specials(n, 3))}${CRLF}${CRLF}`,
      ),
  }),
  both({
    name: 'Generated: random encoded-word syntax in Subject/From',
    n: 20_000,
    build: (n) =>
      withHeader('Subject', fold(specials(n, 4, '=?qQbB*\'"uft8- ()_'))).replace(
        'From: a@example.org',
        `From: ${fold(specials(n, 5, '=?qQbB*"\\ .<>@a'))} <a@example.org>`,
      ),
  }),
  both({
    name: 'Generated: random tag soup as an HTML body',
    n: 20_000,
    build: (n) => htmlMessage(specials(n, 6, '<>/="\' metachrsiplyg!-&;#\n')),
  }),
  both({
    name: 'multipart: n parts',
    n: 2_000,
    build: (n) =>
      `${head('MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n')}${CRLF}${`--b${CRLF}${CRLF}x${CRLF}`.repeat(n)}--b--${CRLF}`,
  }),
  { name: 'htmlToText: < × n', ops: ['html-to-text'], n: 50_000, build: (n) => '<'.repeat(n) },
  {
    name: 'htmlToText: <a  × n',
    ops: ['html-to-text'],
    n: 10_000,
    build: (n) => '<a '.repeat(n),
  },
];

export interface Timing {
  op: Op;
  /** CPU seconds (user + system) of the operation at n and 4n; null when it ran out of time. */
  t1: number | null;
  t4: number | null;
  /** What the child reported when it failed for another reason. */
  error?: string;
}

const child = fileURLToPath(new URL('./pathological-child.ts', import.meta.url));

/**
 * Times one case at `n` and `4n` (after a warm-up at n/4), each of `ops` in
 * turn, in a fresh child process killed after `timeoutMs`.
 */
export function runPathological(
  c: PathologicalCase,
  n: number,
  timeoutMs: number,
  ops: Op[] = c.ops,
): Promise<Timing[]> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', child, String(CASES.indexOf(c)), String(n), ops.join(',')],
      { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        const done = new Map<Op, { t1: number; t4: number | null }>();
        for (const line of stdout.split('\n')) {
          if (!line.startsWith('{')) continue;
          const v = JSON.parse(line) as { op: Op; t1: number; t4: number | null };
          done.set(v.op, v);
        }
        const timedOut = err?.killed === true;
        resolve(
          ops.map((op) => {
            const v = done.get(op);
            if (v?.t4 != null) return { op, t1: v.t1, t4: v.t4 };
            if (timedOut || v) return { op, t1: v?.t1 ?? null, t4: null };
            return { op, t1: null, t4: null, error: `${err?.code} ${stderr.slice(-500)}` };
          }),
        );
      },
    );
  });
}
