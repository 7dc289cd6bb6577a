/**
 * Correctness checks of one built message, for the "which outputs are wrong"
 * columns of the benchmark tables. Deliberately independent of our own lint
 * parser (a competitor must not be judged by our code alone): a small MIME
 * walker over the raw text, plus a postal-mime round trip of the decoded
 * bodies. The checks are the ones the issue names: charset on every text part,
 * raw 8-bit data in a part labelled 7bit (or unlabelled), lines over 998
 * octets, bare LF / bare CR, encoded-words over 75 characters, raw 8-bit
 * bytes in the header block.
 */
import PostalMime from 'postal-mime';

export interface CheckResult {
  /** Human-readable problems; empty when the message passed every check. */
  problems: string[];
  textParts: number;
  maxLine: number;
  bareLf: number;
  maxEncodedWord: number;
}

interface Entity {
  headers: Map<string, string>;
  body: Buffer;
  rawHeader: Buffer;
}

function splitEntity(b: Buffer): Entity {
  let sep = b.indexOf('\r\n\r\n');
  let sepLen = 4;
  const lf = b.indexOf('\n\n');
  if (lf !== -1 && (sep === -1 || lf < sep)) {
    sep = lf;
    sepLen = 2;
  }
  if (b.subarray(0, 2).toString('latin1') === '\r\n' || b[0] === 10) {
    return {
      headers: new Map(),
      body: b.subarray(b[0] === 10 ? 1 : 2),
      rawHeader: Buffer.alloc(0),
    };
  }
  const head = sep === -1 ? b : b.subarray(0, sep);
  const body = sep === -1 ? Buffer.alloc(0) : b.subarray(sep + sepLen);
  const headers = new Map<string, string>();
  const unfolded = head.toString('latin1').replace(/\r?\n(?=[ \t])/g, '');
  for (const line of unfolded.split(/\r?\n/)) {
    const c = line.indexOf(':');
    if (c > 0) {
      const k = line.slice(0, c).trim().toLowerCase();
      if (!headers.has(k)) headers.set(k, line.slice(c + 1).trim());
    }
  }
  return { headers, body, rawHeader: head };
}

function param(value: string, name: string): string | undefined {
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value);
  return m ? (m[1] ?? m[2]) : undefined;
}

function walk(b: Buffer, out: string[], counts: { text: number }, depth = 0): void {
  const e = splitEntity(b);
  const ct = e.headers.get('content-type') ?? 'text/plain';
  const type = ct.split(';')[0]!.trim().toLowerCase();
  if (type.startsWith('multipart/') && depth < 20) {
    const boundary = param(ct, 'boundary');
    if (!boundary) {
      out.push(`${type} without boundary`);
      return;
    }
    const text = e.body.toString('latin1');
    const delim = `--${boundary}`;
    const pieces = text.split(
      new RegExp(
        `(?:^|\\r?\\n)${delim.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*(?:\\r?\\n|$)`,
      ),
    );
    for (const piece of pieces.slice(1, -1))
      walk(Buffer.from(piece, 'latin1'), out, counts, depth + 1);
    return;
  }
  const cte = (e.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (type.startsWith('text/')) {
    counts.text++;
    if (!param(ct, 'charset')) out.push(`${type} without charset`);
  }
  if (cte === '7bit' && e.body.some((x) => x > 127)) out.push(`${type}: 8-bit data labelled 7bit`);
}

/** Checks a raw message; see the module comment for what is checked. */
export function checkMessage(raw: Buffer | string): CheckResult {
  const b = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  const problems: string[] = [];
  const counts = { text: 0 };
  walk(b, problems, counts);

  let maxLine = 0;
  let bareLf = 0;
  let bareCr = 0;
  let start = 0;
  for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) {
    const crlf = i > 0 && b[i - 1] === 13;
    if (!crlf) bareLf++;
    maxLine = Math.max(maxLine, i - start - (crlf ? 1 : 0));
    start = i + 1;
  }
  maxLine = Math.max(maxLine, b.length - start);
  for (let i = b.indexOf(13); i !== -1; i = b.indexOf(13, i + 1)) if (b[i + 1] !== 10) bareCr++;
  if (maxLine > 998) problems.push(`line of ${maxLine} octets (limit 998)`);
  if (bareLf) problems.push(`${bareLf} bare LF`);
  if (bareCr) problems.push(`${bareCr} bare CR`);

  const head = splitEntity(b).rawHeader;
  if (head.some((x) => x > 127)) problems.push('raw 8-bit bytes in the header');
  let maxEncodedWord = 0;
  for (const m of head.toString('latin1').matchAll(/=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=/g))
    maxEncodedWord = Math.max(maxEncodedWord, m[0].length);
  if (maxEncodedWord > 75) problems.push(`encoded-word of ${maxEncodedWord} characters (limit 75)`);
  return { problems, textParts: counts.text, maxLine, bareLf, maxEncodedWord };
}

/** Normalises line ends and trailing whitespace for comparing decoded bodies. */
function norm(s: string | undefined): string {
  return (s ?? '')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+\n/g, '\n')
    .trimEnd();
}

/**
 * Decodes `raw` with postal-mime and compares subject, text and HTML with what
 * went in; returns problems (empty when all round-trip).
 */
export async function roundTrip(
  raw: Buffer | string,
  expected: { subject: string; text?: string; html?: string },
): Promise<string[]> {
  const email = await PostalMime.parse(raw);
  const problems: string[] = [];
  if (email.subject !== expected.subject) problems.push('subject does not decode back');
  if (expected.text !== undefined && norm(email.text) !== norm(expected.text))
    problems.push('text does not decode back');
  if (expected.html !== undefined && norm(email.html) !== norm(expected.html))
    problems.push('html does not decode back');
  return problems;
}
