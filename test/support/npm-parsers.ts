/**
 * Two independent npm parsers, postal-mime and mailparser, brought to one
 * shape so a test can check that a message parses back to exactly what went
 * in, in both.
 *
 * Both parsers are lenient (charset-less 8-bit is read as UTF-8, no defects
 * are reported): use them to compare DECODED content; defects come from the
 * Python judge (python-email.ts).
 *
 * Normalisations done here, and known differences that remain:
 * - Line endings: both parsers turn CRLF into LF in text and html. Compare with
 *   `toLf(input)`.
 * - postal-mime keeps the CRLF that belongs to the next boundary delimiter
 *   (RFC 2046 5.1.1) when a text part inside a multipart is 7bit, 8bit or
 *   quoted-printable (not base64): its text/html end in one extra "\n". We
 *   strip exactly that "\n", deciding from postal-mime's own part tree, when
 *   the body comes from one such part; mailparser is already right. (Left: a
 *   quoted-printable body whose last encoded line ends in a soft break "=".)
 * - postal-mime keeps `<…>` around Content-ID; we strip them (`cid`).
 * - mailparser derives `text` from the HTML of an HTML-only message; we switch
 *   that off (`skipHtmlToText`), and its resulting `''` becomes `null`.
 *   mailparser also turns `cid:` links into data: URIs unless told not to
 *   (`skipImageLinks`), which we do.
 * - Remaining: postal-mime drops ONE leading U+FEFF of a decoded text body
 *   (WHATWG TextDecoder takes it for a byte order mark); mailparser and
 *   Python keep it. Both npm parsers drop a U+FEFF at the start of an
 *   encoded-word in headers. An EMPTY text part reads as "\n" in mailparser; an empty html
 *   part is `null` in mailparser. postal-mime converts CRLF to LF (and keeps
 *   the delimiter CRLF) inside text/* ATTACHMENTS that are not base64-encoded;
 *   mailparser returns their exact bytes.
 */
import { type AddressObject, type EmailAddress, simpleParser } from 'mailparser';
import PostalMime, { decodeWords, type Address as PostalAddress } from 'postal-mime';

export interface ParsedAddress {
  name: string;
  address: string;
}

export interface ParsedAttachment {
  filename: string | null;
  contentType: string;
  content: Buffer;
  /** Content-ID without angle brackets. */
  cid: string | null;
  disposition: string | null;
}

export interface ParsedMessage {
  subject: string | null;
  from: ParsedAddress[];
  to: ParsedAddress[];
  cc: ParsedAddress[];
  replyTo: ParsedAddress[];
  /** ISO 8601, or null when absent or unparseable. */
  date: string | null;
  /** With angle brackets, as both parsers give it. */
  messageId: string | null;
  /** LF line endings; null when the message has no text part. */
  text: string | null;
  /** LF line endings; null when the message has no html part. */
  html: string | null;
  attachments: ParsedAttachment[];
  /**
   * postal-mime only: every top-level field as `[name, value]`, unfolded,
   * with encoded-words decoded by postal-mime's own decodeWords (mailparser
   * hands back custom fields undecoded). Not compared by parserDifferences.
   */
  fields?: Array<[string, string]>;
}

/** CRLF and bare CR to LF: how both parsers hand back text. */
export function toLf(s: string): string {
  return s.replace(/\r\n?/g, '\n');
}

const stripBrackets = (s: string | undefined | null): string | null =>
  s == null ? null : s.replace(/^<(.*)>$/, '$1');

const isoDate = (d: Date | string | undefined | null): string | null => {
  if (d == null) return null;
  const t = d instanceof Date ? d : new Date(d);
  return Number.isNaN(t.getTime()) ? null : t.toISOString();
};

function toBuffer(c: ArrayBuffer | Uint8Array | string): Buffer {
  if (typeof c === 'string') return Buffer.from(c, 'base64');
  if (c instanceof Uint8Array) return Buffer.from(c.buffer, c.byteOffset, c.byteLength);
  return Buffer.from(new Uint8Array(c));
}

// ---------------------------------------------------------------- postal-mime

function postalAddrs(list: PostalAddress[] | PostalAddress | undefined): ParsedAddress[] {
  if (!list) return [];
  const arr = Array.isArray(list) ? list : [list];
  return arr.flatMap((a) =>
    'group' in a && Array.isArray(a.group)
      ? postalAddrs(a.group)
      : [{ name: a.name ?? '', address: ('address' in a ? a.address : '') ?? '' }],
  );
}

/** The parts of postal-mime's (internal, untyped) parse tree we read. */
interface PostalNode {
  contentType: { parsed: { value: string } };
  contentDisposition: { parsed: { value: string } };
  contentTransferEncoding: { encoding: string };
  parentNode?: PostalNode;
  childNodes: PostalNode[];
}

/**
 * For text/plain and text/html: does postal-mime's body carry the delimiter's
 * CRLF? Yes when it comes from exactly one inline part inside a multipart that
 * is not base64 (base64 decoding drops line breaks, so the CRLF never shows).
 */
function delimiterQuirk(root: PostalNode | undefined): { plain: boolean; html: boolean } {
  const found: Record<'plain' | 'html', PostalNode[]> = { plain: [], html: [] };
  const walk = (n: PostalNode) => {
    if (n.childNodes.length > 0) {
      n.childNodes.forEach(walk);
      return;
    }
    if (n.contentDisposition?.parsed?.value === 'attachment') return;
    const t = n.contentType?.parsed?.value;
    if (t === 'text/plain') found.plain.push(n);
    if (t === 'text/html') found.html.push(n);
  };
  if (root) walk(root);
  const quirk = (nodes: PostalNode[]) =>
    nodes.length === 1 &&
    nodes[0]!.parentNode !== undefined &&
    nodes[0]!.contentTransferEncoding?.encoding !== 'base64';
  return { plain: quirk(found.plain), html: quirk(found.html) };
}

/** Parse with postal-mime into the common shape. */
export async function parsePostal(raw: Uint8Array | string): Promise<ParsedMessage> {
  const buf = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : Buffer.from(raw);
  const parser = new PostalMime();
  const e = await parser.parse(buf);
  const quirk = delimiterQuirk((parser as unknown as { root?: PostalNode }).root);
  const body = (s: string | undefined, trim: boolean): string | null => {
    if (s == null) return null;
    const lf = toLf(s);
    return trim && lf.endsWith('\n') ? lf.slice(0, -1) : lf;
  };
  return {
    subject: e.subject ?? null,
    from: postalAddrs(e.from),
    to: postalAddrs(e.to),
    cc: postalAddrs(e.cc),
    replyTo: postalAddrs(e.replyTo),
    date: isoDate(e.date),
    messageId: e.messageId ?? null,
    text: body(e.text, quirk.plain),
    html: body(e.html, quirk.html),
    attachments: (e.attachments ?? []).map((a) => ({
      filename: a.filename ?? null,
      contentType: a.mimeType,
      content: toBuffer(a.content),
      cid: stripBrackets(a.contentId),
      disposition: a.disposition ?? null,
    })),
    fields: e.headers.map((h) => [h.originalKey, decodeWords(h.value)]),
  };
}

// ---------------------------------------------------------------- mailparser

function mpAddrs(obj: AddressObject | AddressObject[] | undefined): ParsedAddress[] {
  if (!obj) return [];
  const flat = (list: EmailAddress[]): ParsedAddress[] =>
    list.flatMap((a) =>
      a.group ? flat(a.group) : [{ name: a.name ?? '', address: a.address ?? '' }],
    );
  return (Array.isArray(obj) ? obj : [obj]).flatMap((o) => flat(o.value));
}

/** Parse with mailparser's simpleParser into the common shape. */
export async function parseMailparser(raw: Uint8Array | string): Promise<ParsedMessage> {
  const buf = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : Buffer.from(raw);
  const m = await simpleParser(buf, {
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipImageLinks: true,
    skipTextLinks: true,
  });
  return {
    subject: m.subject ?? null,
    from: mpAddrs(m.from),
    to: mpAddrs(m.to),
    cc: mpAddrs(m.cc),
    replyTo: mpAddrs(m.replyTo),
    date: isoDate(m.date),
    messageId: m.messageId ?? null,
    text: m.text ? toLf(m.text) : null,
    html: typeof m.html === 'string' ? toLf(m.html) : null,
    attachments: m.attachments.map((a) => ({
      filename: a.filename ?? null,
      contentType: a.contentType,
      content: a.content,
      cid: stripBrackets(a.cid ?? a.contentId),
      disposition: a.contentDisposition ?? null,
    })),
  };
}

/**
 * Parse with both parsers.
 *
 * @example
 * const { postal, mailparser } = await parseBoth(composed.raw);
 * expect(parserDifferences(postal, mailparser)).toEqual([]);
 * expect(postal.text).toBe(toLf(input.text));
 */
export async function parseBoth(
  raw: Uint8Array | string,
): Promise<{ postal: ParsedMessage; mailparser: ParsedMessage }> {
  const [postal, mailparser] = await Promise.all([parsePostal(raw), parseMailparser(raw)]);
  return { postal, mailparser };
}

/** Field-by-field differences between two parsed messages, as readable strings; [] when equal. */
export function parserDifferences(a: ParsedMessage, b: ParsedMessage): string[] {
  const out: string[] = [];
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  for (const k of [
    'subject',
    'from',
    'to',
    'cc',
    'replyTo',
    'date',
    'messageId',
    'text',
    'html',
  ] as const) {
    if (!same(a[k], b[k])) out.push(`${k}: ${JSON.stringify(a[k])} ≠ ${JSON.stringify(b[k])}`);
  }
  if (a.attachments.length !== b.attachments.length) {
    out.push(`attachments: ${a.attachments.length} ≠ ${b.attachments.length}`);
  } else {
    a.attachments.forEach((x, i) => {
      const y = b.attachments[i]!;
      for (const k of ['filename', 'contentType', 'cid', 'disposition'] as const) {
        if (x[k] !== y[k]) out.push(`attachments[${i}].${k}: ${x[k]} ≠ ${y[k]}`);
      }
      if (!x.content.equals(y.content)) {
        out.push(
          `attachments[${i}].content: ${x.content.length} bytes ≠ ${y.content.length} bytes`,
        );
      }
    });
  }
  return out;
}
