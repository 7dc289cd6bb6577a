/**
 * The lossless check (issue 15): for every message repair fixes, what a
 * reader sees is what the original showed. Judged by Python's email package
 * and postal-mime, never by our own reader, over every fixture and a few
 * hundred generated legacy messages (PHP mail(), Outlook, Thunderbird, VM,
 * Pine shapes):
 *
 * - visible text: every inline text/plain and text/html body, in order, with
 *   its text (line ends aside; a generated text/plain twin of HTML is new and
 *   not compared; a text/plain body repair relabels as HTML is compared with
 *   the HTML);
 * - attachments: bytes (text: line ends aside, RFC 2045 §6.8), name (the base
 *   name: directory parts are dropped, RFC 2183 §2.3), disposition;
 * - rendering parameters (format, delsp, …), Content-ID, -Description,
 *   -Language, -Location of every part;
 * - the envelope recipients: To ∪ Cc ∪ Bcc of the original.
 *
 * Where the judges cannot read the original's text (8-bit without a label,
 * or ISO-8859-1 that Python reads as Latin-1 while mail clients read
 * windows-1252) the ASCII letters are compared, so a dropped line or word is
 * still caught. The counts are printed at the end (and asserted loosely).
 */
import { domainToASCII } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { repair } from '../../src/repair/repair.js';
import { MailHygieneError } from '../../src/wire/errors.js';
import { parsePostal } from '../support/npm-parsers.js';
import { type PyCheckResult, type PyPart, usePythonEmail } from '../support/python-email.js';
import { fixtures, now } from './cases.js';

const py = usePythonEmail();

const counts = {
  messages: 0,
  passedThrough: 0,
  headerOnly: 0,
  rebuilt: 0,
  refused: {} as Record<string, number>,
};

const lf = (s: string) => s.replace(/\r\n?/g, '\n').replace(/\n+$/, '');
/** ASCII letters and digits only: what survives any misreading of a legacy charset. */
const skeleton = (s: string) => s.replace(/[^A-Za-z0-9]/g, '');
/** The name a receiver saves under: directory parts dropped; a name the judge misread, its skeleton. */
const baseName = (s: string | null) => {
  if (s === null) return null;
  const base = s.slice(s.search(/[^/\\]*$/));
  return /[\ufffd\x80-\x9f]/.test(base) ? skeleton(base.replace(/\ufffd/g, '')) : base;
};
/** The same, for a repaired name (compared in the form the original's reading allows). */
const sameName = (a: string | null, b: string | null) =>
  a !== null && /[\ufffd\x80-\x9f]/.test(a) && b !== null
    ? skeleton(b.replace(/[^\x00-\x7f]/g, ''))
    : baseName(b);

function isVisible(p: PyPart): boolean {
  return (
    (p.contentType === 'text/plain' || p.contentType === 'text/html') &&
    p.disposition !== 'attachment'
  );
}

/** Text a judge may have misread: compare the ASCII skeleton only. */
function unreliable(p: PyPart): boolean {
  return p.charsetError === true || /[\x80-\x9f\ufffd]/.test(p.text ?? '');
}

/** Repaired text never holds C1 controls decoded from legacy bytes (issue 13). */
const C1 = /[\x80-\x9f]/;

function sameText(a: PyPart, b: PyPart, what: string): void {
  expect(C1.test(b.text ?? ''), `${what}: C1 controls in the repaired text`).toBe(false);
  if (unreliable(a)) expect(skeleton(b.text ?? ''), what).toBe(skeleton(a.text ?? ''));
  else expect(lf(b.text ?? ''), what).toBe(lf(a.text ?? ''));
}

function sameDescription(a: PyPart, b: PyPart, what: string): void {
  expect(b.params, `${what}: parameters`).toEqual(a.params);
  expect([b.cid, b.description, b.language, b.location], `${what}: fields`).toEqual([
    a.cid,
    a.description,
    a.language,
    a.location,
  ]);
}

function addresses(p: PyCheckResult): string[] {
  const all = [...(p.headers.to ?? []), ...(p.headers.cc ?? []), ...(p.headers.bcc ?? [])];
  const norm = (a: string) => {
    const at = a.lastIndexOf('@');
    return `${a.slice(0, at)}@${domainToASCII(a.slice(at + 1).toLowerCase()) || a.slice(at + 1)}`;
  };
  return [...new Set(all.map((x) => norm(x.address)))].sort();
}

/** Asserts the lossless properties of one repair. */
async function checkLossless(name: string, original: Buffer, htmlTwin: boolean): Promise<void> {
  counts.messages++;
  let r: Awaited<ReturnType<typeof repair>>;
  try {
    r = await repair(original, { now });
  } catch (e) {
    if (!(e instanceof MailHygieneError)) throw e;
    const reason = (e.field ?? e.code).replace(/[@:].*$/, '');
    counts.refused[reason] = (counts.refused[reason] ?? 0) + 1;
    return;
  }
  const lfOriginal = original.toString('latin1').replace(/\r?\n/g, '\r\n');
  const sep = (b: string) => b.slice(b.search(/\r\n\r\n/));
  const out = r.raw.toString('latin1');
  if (out === lfOriginal || r.raw.equals(original)) counts.passedThrough++;
  else if (sep(out) === sep(lfOriginal)) counts.headerOnly++;
  else counts.rebuilt++;

  const [before, after] = [await py.check(original), await py.check(r.raw)];
  expect(after.error, `${name}: Python reads the repaired message`).toBeUndefined();
  const relabelled = r.applied.some((a) => a.rule === 'html-without-mime');
  // Visible bodies, in order; a generated text twin (new in the repair) is not compared.
  const shown = before.parts.filter(isVisible);
  let seen = after.parts.filter(isVisible);
  if (htmlTwin || r.applied.some((a) => a.rule === 'html-only') || relabelled) {
    const plainBefore = shown.filter((p) => p.contentType === 'text/plain').length;
    const plainAfter = seen.filter((p) => p.contentType === 'text/plain').length;
    if (plainAfter > plainBefore - (relabelled ? 1 : 0)) {
      const twin = seen.findIndex((p) => p.contentType === 'text/plain');
      seen = seen.filter((_, i) => i !== twin);
    }
  }
  expect(seen.length, `${name}: visible parts`).toBe(shown.length);
  shown.forEach((a, i) => {
    const b = seen[i]!;
    if (!(relabelled && a.contentType === 'text/plain' && b.contentType === 'text/html'))
      expect(b.contentType, `${name}: part ${a.path} type`).toBe(a.contentType);
    sameText(a, b, `${name}: text of part ${a.path}`);
    expect(sameName(a.filename, b.filename), `${name}: name of part ${a.path}`).toBe(
      baseName(a.filename),
    );
    expect(b.disposition, `${name}: disposition of part ${a.path}`).toBe(a.disposition);
    sameDescription(a, b, `${name}: part ${a.path}`);
  });
  // Attachments (everything else): bytes, name, disposition.
  const files = (p: PyCheckResult) => p.parts.filter((x) => !isVisible(x));
  const [fa, fb] = [files(before), files(after)];
  expect(
    fb.map((x) => x.contentType),
    `${name}: attachments`,
  ).toEqual(fa.map((x) => x.contentType));
  fa.forEach((a, i) => {
    const b = fb[i]!;
    const what = `${name}: attachment ${a.path}`;
    expect([sameName(a.filename, b.filename), b.disposition], what).toEqual([
      baseName(a.filename),
      a.disposition,
    ]);
    if (a.text !== undefined) sameText(a, b, what);
    else expect(b.base64, what).toBe(a.base64);
    sameDescription(a, b, what);
  });
  // postal-mime: the same HTML and, where the original had its own, the same text.
  const [pa, pb] = [await parsePostal(original), await parsePostal(r.raw)];
  // U+FFFD, or C1 controls: postal-mime reads windows-1252 through the platform's
  // TextDecoder (0x80–0x9F as C1 on Node 20) and iso-8859-N labels strictly.
  const fffd = (s: string | null) => s !== null && /[\ufffd\x80-\x9f]/.test(s);
  if (!fffd(pa.html) && !relabelled)
    expect(lf(pb.html ?? ''), `${name}: html`).toBe(lf(pa.html ?? ''));
  // A broken transfer encoding in the original is read differently by every reader.
  const broken = r.applied.some(
    (a) => a.rule === 'encoded-line-syntax' || a.rule === 'cte-invalid',
  );
  // postal-mime joins several text parts (keeping some delimiter line ends): one part only.
  const onePlain = shown.filter((p) => p.contentType === 'text/plain').length === 1;
  if (
    onePlain &&
    pa.text !== null &&
    !relabelled &&
    !broken &&
    !fffd(pa.text) &&
    !/format=flowed/i.test(lfOriginal)
  )
    expect(lf(pb.text ?? ''), `${name}: text (postal-mime)`).toBe(lf(pa.text));
  expect(
    pb.attachments.map((a, i) => [
      sameName(pa.attachments[i]?.filename ?? null, a.filename),
      a.disposition,
    ]),
    `${name}: postal attachments`,
  ).toEqual(pa.attachments.map((a) => [baseName(a.filename), a.disposition]));
  // The envelope: every recipient of the original, nobody else (where Python could read
  // the original's address fields without a defect).
  const ambiguous = before.defects.some((d) => /^(to|cc|bcc)$/i.test(d.header ?? ''));
  if (r.envelope && !ambiguous)
    expect([...r.envelope.to].sort(), `${name}: envelope`).toEqual(addresses(before));
}

describe('lossless: every fixture', () => {
  for (const f of fixtures()) {
    it(`${f.name}`, async () => {
      await checkLossless(f.name, f.raw, false);
    });
  }
});

// ------------------------------------------------------------------ random legacy mail

const WORDS = [
  'Grüße',
  'aus',
  'Köln',
  'naïve',
  'café',
  'the',
  'report',
  'über',
  'Preis:',
  '5 €',
  'x=y',
  'done.',
];
const line = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 14 })
  .map((w) => w.join(' '));
const paragraph = fc.array(line, { minLength: 1, maxLength: 6 });

type Charset = 'none' | 'us-ascii' | 'iso-8859-1' | 'utf-8' | 'windows-1252';
const textSpec = fc.record({
  lines: paragraph,
  ascii: fc.boolean(),
  charset: fc.constantFrom<Charset>('none', 'us-ascii', 'iso-8859-1', 'utf-8', 'windows-1252'),
  cte: fc.constantFrom('none', '7bit', '8bit', 'quoted-printable', 'base64'),
  flowed: fc.boolean(),
  name: fc.option(
    fc.constantFrom('notes.txt', '/tmp/notes.txt', 'C:\\docs\\readme.txt', 'Überblick.txt'),
    { nil: undefined },
  ),
  disposition: fc.constantFrom(undefined, 'inline', 'attachment'),
  description: fc.option(fc.constantFrom('body text', 'notes'), { nil: undefined }),
});
type TextSpec = typeof textSpec extends fc.Arbitrary<infer T> ? T : never;

const fileSpec = fc.record({
  type: fc.constantFrom('application/pdf', 'image/png', 'application/octet-stream'),
  size: fc.nat({ max: 600 }),
  seed: fc.nat({ max: 255 }),
  name: fc.constantFrom('report.pdf', '/var/tmp/logo.png', 'data.bin', 'Übersicht.pdf'),
  disposition: fc.constantFrom(undefined, 'attachment', 'inline'),
  cid: fc.boolean(),
});

const messageSpec = fc.record({
  eol: fc.constantFrom('\n', '\r\n'),
  date: fc.boolean(),
  messageId: fc.boolean(),
  returnPath: fc.constantFrom(undefined, 'www-data@web01', 'bounce@example.com'),
  mailer: fc.constantFrom(undefined, 'PHP/8.2.1', 'Microsoft Outlook 8.5', 'Mozilla Thunderbird'),
  to: fc.array(
    fc.constantFrom(
      'erika@example.org',
      'Max <max@example.net>',
      'Jürgen <juergen@bücher.example>',
    ),
    { minLength: 1, maxLength: 3 },
  ),
  cc: fc.option(fc.constantFrom('team@example.org'), { nil: undefined }),
  bcc: fc.option(fc.constantFrom('archive@example.org'), { nil: undefined }),
  shape: fc.constantFrom('single', 'mixed', 'alternative', 'html-only'),
  texts: fc.array(textSpec, { minLength: 1, maxLength: 3 }),
  files: fc.array(fileSpec, { maxLength: 2 }),
  html: paragraph,
});
type MessageSpec = typeof messageSpec extends fc.Arbitrary<infer T> ? T : never;

const ASCII: Record<string, string> = {
  ü: 'ue',
  ö: 'oe',
  ä: 'ae',
  ß: 'ss',
  ï: 'i',
  é: 'e',
  Ü: 'Ue',
  Ö: 'Oe',
  '€': 'EUR',
};
const asciiOf = (s: string) => s.replace(/[^\x00-\x7f]/g, (c) => ASCII[c] ?? '?');

function charsetBytes(text: string, charset: Charset): Buffer {
  if (charset === 'utf-8') return Buffer.from(text, 'utf8');
  // Latin-1/windows-1252 writers (and unlabelled PHP output): € is 0x80 in windows-1252.
  return Buffer.from(text.replace(/€/g, '\x80'), 'latin1');
}

function qp(b: Buffer, eol: string): string {
  const out: string[] = [];
  for (const l of b.toString('latin1').split(/\r?\n/)) {
    let cur = '';
    for (let i = 0; i < l.length; i++) {
      const c = l.charCodeAt(i);
      const t =
        (c >= 33 && c <= 126 && c !== 61) || (c === 32 && i < l.length - 1)
          ? l[i]!
          : `=${c.toString(16).toUpperCase().padStart(2, '0')}`;
      if (cur.length + t.length > 75) {
        out.push(`${cur}=`);
        cur = '';
      }
      cur += t;
    }
    out.push(cur);
  }
  return out.join(eol);
}

function b64(b: Buffer, eol: string): string {
  return (b.toString('base64').match(/.{1,76}/g) ?? ['']).join(eol);
}

function encodeBody(bytes: Buffer, cte: string, eol: string): string {
  if (cte === 'quoted-printable') return qp(bytes, eol);
  if (cte === 'base64')
    return b64(Buffer.from(bytes.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1'), eol);
  return bytes.toString('latin1');
}

function textPart(t: TextSpec, eol: string, subtype = 'plain', forced?: string[]): string {
  let lines = forced ?? t.lines;
  if (t.ascii) lines = lines.map(asciiOf);
  const raw = lines.join(eol) + eol;
  const bytes = charsetBytes(raw, t.charset);
  const params = [`text/${subtype}`];
  if (t.charset !== 'none') params.push(`charset=${t.charset}`);
  if (t.flowed && subtype === 'plain') params.push('format=flowed');
  if (t.name) params.push(`name="${t.name}"`);
  const h = [`Content-Type: ${params.join('; ')}`];
  if (t.cte !== 'none') h.push(`Content-Transfer-Encoding: ${t.cte}`);
  if (t.disposition)
    h.push(`Content-Disposition: ${t.disposition}${t.name ? `; filename="${t.name}"` : ''}`);
  if (t.description) h.push(`Content-Description: ${t.description}`);
  return `${h.join(eol)}${eol}${eol}${encodeBody(bytes, t.cte, eol)}`;
}

function filePart(f: MessageSpec['files'][number], i: number, eol: string): string {
  const bytes = Buffer.from(Array.from({ length: f.size }, (_, k) => (k * 31 + f.seed) & 0xff));
  const h = [`Content-Type: ${f.type}; name="${f.name}"`, 'Content-Transfer-Encoding: base64'];
  if (f.disposition) h.push(`Content-Disposition: ${f.disposition}; filename="${f.name}"`);
  if (f.cid) h.push(`Content-ID: <file${i}@example.com>`);
  return `${h.join(eol)}${eol}${eol}${b64(bytes, eol)}`;
}

function multipartOf(
  subtype: string,
  parts: string[],
  eol: string,
  n: number,
): { header: string; body: string } {
  const b = `----=_NextPart_000_00${n}_01C0`;
  return {
    header: `Content-Type: multipart/${subtype};${eol}\tboundary="${b}"`,
    body: `This is a multi-part message in MIME format.${eol}${eol}${parts.map((p) => `--${b}${eol}${p}${eol}`).join('')}--${b}--${eol}`,
  };
}

function legacyMessage(m: MessageSpec): Buffer {
  const { eol } = m;
  const h: string[] = [];
  if (m.returnPath) h.push(`Return-Path: <${m.returnPath}>`);
  h.push(
    'From: "Müller, Jürgen" <juergen@example.com>'.replace(
      /Müller, Jürgen/,
      m.mailer?.startsWith('PHP') ? 'Müller, Jürgen' : 'Juergen Mueller',
    ),
  );
  h.push(`To: ${m.to.join(', ')}`);
  if (m.cc) h.push(`Cc: ${m.cc}`);
  if (m.bcc) h.push(`Bcc: ${m.bcc}`);
  h.push('Subject: Bestellung über 5 Bücher');
  if (m.date) h.push('Date: Sun, 29 Nov 2026 13:40:00 +0000');
  if (m.messageId) h.push('Message-ID: <legacy.1@example.com>');
  if (m.mailer) h.push(`X-Mailer: ${m.mailer}`);
  const html = `<html><body>${m.html.map((l) => `<p>${l}</p>`).join(eol)}</body></html>`;
  const [first, ...others] = m.texts;
  let top: { header: string; body: string };
  if (m.shape === 'single') {
    const part = textPart({ ...first!, name: undefined, disposition: undefined }, eol);
    const cut = part.indexOf(eol + eol);
    top = { header: part.slice(0, cut), body: part.slice(cut + 2 * eol.length) };
  } else if (m.shape === 'html-only') {
    top = {
      header: 'Content-Type: text/html; charset=iso-8859-1',
      body: Buffer.from(html.replace(/€/g, '\x80'), 'latin1').toString('latin1'),
    };
  } else if (m.shape === 'alternative') {
    const plain = textPart({ ...first!, name: undefined, disposition: undefined }, eol);
    const htmlPart = textPart(
      { ...first!, name: undefined, disposition: undefined, flowed: false },
      eol,
      'html',
      [html],
    );
    top = multipartOf('alternative', [plain, htmlPart], eol, 1);
  } else {
    const parts = [
      textPart({ ...first!, name: undefined, disposition: undefined }, eol),
      ...others.map((t) => textPart(t, eol)),
      ...m.files.map((f, i) => filePart(f, i, eol)),
    ];
    top = multipartOf('mixed', parts, eol, 2);
  }
  if (m.shape !== 'single' || first!.charset !== 'none' || Math.random() < 2)
    h.push('MIME-Version: 1.0');
  h.push(top.header);
  return Buffer.from(`${h.join(eol)}${eol}${eol}${top.body}`, 'latin1');
}

const RUNS = Number(process.env['LOSSLESS_RUNS'] ?? 200);

describe('lossless: generated legacy messages', () => {
  it(`${RUNS} messages in the shapes legacy clients write`, async () => {
    await fc.assert(
      fc.asyncProperty(messageSpec, async (m) => {
        await checkLossless('generated', legacyMessage(m), m.shape === 'html-only');
      }),
      { numRuns: RUNS, seed: 15 },
    );
  }, 300_000);
});

afterAll(() => {
  // The closing note's numbers: how many messages, and what repair did with them.
  console.log(`lossless check: ${JSON.stringify(counts)}`);
  const refused = Object.values(counts.refused).reduce((a, b) => a + b, 0);
  expect(counts.passedThrough + counts.headerOnly + counts.rebuilt + refused).toBe(counts.messages);
});
