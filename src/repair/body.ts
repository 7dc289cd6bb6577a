/**
 * The MIME tree of a legacy message → a MimeNode for the composer's renderer.
 * Every leaf is decoded (transfer encoding, charset) and re-made with
 * textPart/binaryPart, so the CTE is chosen from the real bytes: 8-bit text
 * labelled 7bit, over-long lines and broken encodings all come out right.
 * Text becomes UTF-8; HTML without a plain-text twin gets one.
 */

import { parseAttachmentFilename } from '../compose/index.js';
import {
  decodedBody,
  type HeaderField,
  has8bit,
  type MimePart,
  type ParsedMessage,
  parseParams,
  unfold,
} from '../read/index.js';
import type { LeafPart, MimeNode, MultipartNode } from '../wire/index.js';
import {
  binaryPart,
  MAX_ENCODED_BODY_LINE,
  MAX_LINE_LENGTH,
  MailHygieneError,
  multipart,
  renderParam,
  renderParamHeader,
  textPart,
  textToBytes,
} from '../wire/index.js';
import { refuse } from './refuse.js';
import {
  decodeHeaderWords,
  lfToCrlf,
  rawHeaderCharset,
  readBodyText,
  readHeaderBinary,
  toCrlfBinary,
} from './text.js';

export interface BodySettings {
  legacyCharset: string;
  /** Paths of text/plain parts that hold HTML (lint: html-without-mime). */
  htmlParts: ReadonlySet<string>;
  /** Paths of body parts a finding repair acts on points into: those are rebuilt, never carried. */
  flaggedParts: ReadonlySet<string>;
  /** Paths of body parts an error finding points into (a signed part with one is refused). */
  errorParts: ReadonlySet<string>;
}

const SUPPORTED: ReadonlyArray<MultipartNode['subtype']> = ['mixed', 'alternative', 'related'];
/**
 * Entities whose bytes a signature covers (RFC 1847 multipart/signed and
 * multipart/encrypted, S/MIME application/pkcs7-mime): carried as they are or
 * refused, never rebuilt. Their line ends may become CRLF: the signature is
 * computed over the CRLF canonical form (RFC 1847 §2.1, RFC 3156 §5, RFC 8551 §3.1.1).
 */
const SIGNED = new Set([
  'multipart/signed',
  'multipart/encrypted',
  'application/pkcs7-mime',
  'application/x-pkcs7-mime',
]);
/** Content-Type parameters the rebuild sets itself. */
const OWN_PARAMS = new Set(['charset', 'name', 'boundary']);
/** Fields of a body part the rebuild carries over as written (RFC 2045 §8, RFC 3282, RFC 2557). */
const CARRIED_FIELDS = ['content-description', 'content-language', 'content-location'];

/** A leaf on its way to the renderer; html leaves remember their text for the plain twin. */
interface Built {
  node: MimeNode;
  /** For text/html body parts: the HTML as text. */
  html?: string;
  /** True for a text/plain body part (not an attachment). */
  plain?: boolean;
}

function header(part: MimePart, msg: ParsedMessage, key: string): string | undefined {
  const h = part.headers.find((f) => f.key === key);
  return h ? unfold(msg, h).trim() : undefined;
}

function label(part: MimePart): string {
  return part.path === '' ? 'message' : `part-${part.path}`;
}

function textBytes(text: string, part: MimePart): Buffer {
  try {
    return textToBytes(text, label(part));
  } catch (e) {
    if (e instanceof MailHygieneError) refuse(`nul-byte@${label(part)}`, e.message, e);
    throw e;
  }
}

/** A parameter-bearing field as text: raw 8-bit bytes (a filename) read as header text is. */
function paramHeader(part: MimePart, msg: ParsedMessage, key: string, s: BodySettings) {
  const raw = header(part, msg, key);
  return raw === undefined
    ? undefined
    : readHeaderBinary(raw, rawHeaderCharset(msg, s.legacyCharset));
}

/**
 * Content-Disposition as receivers read it: absent stays absent (a text part
 * without one is shown inline, RFC 2183 §2.8 leaves the rest to the reader);
 * an unknown value counts as attachment (RFC 2183 §2.8).
 */
function disposition(part: MimePart, msg: ParsedMessage, s: BodySettings) {
  const cd = paramHeader(part, msg, 'content-disposition', s);
  if (cd === undefined) return { kind: undefined, filename: undefined };
  const p = parseParams(cd);
  const v = p.value.toLowerCase();
  return {
    kind: v === 'inline' || v === 'attachment' ? (v as 'inline' | 'attachment') : 'attachment',
    filename: p.params.get('filename'),
  } as const;
}

/**
 * The one file name of a rebuilt part, for both `name=` and `filename`:
 * RFC 2047 words decoded (forbidden in parameters, RFC 2047 §5, but clients
 * decode them) and directory parts dropped (RFC 2183 §2.3), as receivers do.
 */
function fileName(part: MimePart, msg: ParsedMessage, given: string | undefined, s: BodySettings) {
  const named =
    given ??
    (part.contentType?.params.has('name')
      ? parseParams(paramHeader(part, msg, 'content-type', s) ?? '').params.get('name')
      : undefined);
  if (named === undefined) return undefined;
  try {
    return parseAttachmentFilename(decodeHeaderWords(named), `${label(part)}.filename`);
  } catch (e) {
    if (e instanceof MailHygieneError)
      refuse(`attachment-filename-invalid@${label(part)}`, e.message, e);
    throw e;
  }
}

function cidOf(part: MimePart, msg: ParsedMessage): string | undefined {
  const raw = header(part, msg, 'content-id');
  if (raw === undefined) return undefined;
  const cid = raw.replace(/^<|>$/g, '');
  if (!/^[\x21-\x3b\x3d\x3f-\x7e]+$/.test(cid))
    refuse(
      `content-id-invalid@${label(part)}`,
      `Content-ID ${JSON.stringify(raw)} cannot be carried`,
    );
  return cid;
}

const B64 = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=') {
  B64[c.charCodeAt(0)] = 1;
}

/** Clean base64: only the alphabet, CRLF line ends, lines of at most 76 characters. */
function isCleanBase64(b: Buffer): boolean {
  // Line by line with indexOf (native) and a table lookup: this runs over whole attachments.
  let pos = 0;
  while (pos < b.length) {
    let lf = b.indexOf(10, pos);
    if (lf === -1) lf = b.length + 1;
    const end = lf - 1;
    if (lf <= b.length && b[end] !== 13) return false;
    const stop = Math.min(end, b.length);
    if (stop - pos > MAX_ENCODED_BODY_LINE) return false;
    for (let i = pos; i < stop; i++) if (B64[b[i]!] === 0) return false;
    pos = lf + 1;
  }
  return true;
}

/** A header field as written with CRLF line ends, or undefined when it is not clean 7-bit. */
function verbatimField(msg: ParsedMessage, h: HeaderField): string | undefined {
  const lines = msg.bytes.toString('latin1', h.start, h.end).split(/\r?\n/);
  if (lines.some((l) => l.length > MAX_LINE_LENGTH || /[^\x09\x20-\x7e]/.test(l))) return undefined;
  return `${lines.join('\r\n')}\r\n`;
}

/** Bytes with every bare LF made CRLF; undefined when they hold a bare CR, NUL or a line over 998. */
function crlfBody(b: Buffer): Buffer | undefined {
  if (b.includes(0)) return undefined;
  const out = lfToCrlf(b);
  if (out === undefined) return undefined;
  let pos = 0;
  for (let lf = out.indexOf(10); ; lf = out.indexOf(10, pos)) {
    if ((lf === -1 ? out.length : lf - 1) - pos > MAX_LINE_LENGTH) return undefined;
    if (lf === -1) return out;
    pos = lf + 1;
  }
}

/**
 * A body part nothing is wrong with goes through unchanged: its header lines
 * and its body bytes as written (bare LF made CRLF), so format=flowed text,
 * attachments and anything signed keep every octet. Undefined when a header
 * line is not clean 7-bit or the body holds a bare CR, NUL or an over-long line.
 */
function carried(msg: ParsedMessage, part: MimePart): LeafPart | undefined {
  const headers: string[] = [];
  for (const h of part.headers) {
    const f = verbatimField(msg, h);
    if (f === undefined) return undefined;
    headers.push(f);
  }
  const end = entityEnd(msg, part);
  if (end === undefined) return undefined;
  const body = crlfBody(msg.bytes.subarray(part.bodyStart, end));
  if (body === undefined) return undefined;
  if (part.cte === 'base64' && isCleanBase64(body)) {
    // The renderer adds the line break before the next delimiter itself.
    const end = body.length >= 2 && body[body.length - 2] === 13 ? body.length - 2 : body.length;
    return { kind: 'leaf', cte: 'base64', headers, body: body.subarray(0, end) };
  }
  // Declared 7bit so that the renderer checks its fresh boundaries against these bytes.
  return { kind: 'leaf', cte: '7bit', headers, body };
}

/**
 * Where a part's body ends. A multipart's `bodyEnd` is the end of its
 * preamble; its body runs to the end of its close delimiter (the epilogue,
 * which no reader shows, is left out). Undefined for a multipart without one.
 */
function entityEnd(msg: ParsedMessage, part: MimePart): number | undefined {
  const last = part.children[part.children.length - 1];
  if (part.boundary === undefined || last === undefined) return part.bodyEnd;
  const close = `--${part.boundary}--`;
  const at = msg.bytes.indexOf(close, last.start, 'latin1');
  return at === -1 ? undefined : at + close.length;
}

/** True when one of `paths` is `path` or lies inside it. */
function within(path: string, paths: ReadonlySet<string>): boolean {
  if (path === '') return paths.size > 0;
  for (const p of paths) if (p === path || p.startsWith(`${path}.`)) return true;
  return false;
}

/** Extra fields of a rebuilt part: Content-ID and the descriptive fields, as written. */
function carriedFields(msg: ParsedMessage, part: MimePart): string[] {
  // The message's own descriptive fields stay in the top-level header block (headers.ts).
  if (part.path === '') return [];
  const out: string[] = [];
  for (const h of part.headers) {
    if (!CARRIED_FIELDS.includes(h.key)) continue;
    const f = verbatimField(msg, h);
    if (f === undefined)
      refuse(
        `header-unrepairable:${h.key}@${label(part)}`,
        `${h.name} has 8-bit or over-long content`,
      );
    out.push(f);
  }
  return out;
}

/** Content-Type parameters that change how the part renders (format, delsp, …), kept as written. */
function renderingParams(part: MimePart): string[] {
  const out: string[] = [];
  for (const [k, v] of part.contentType?.params ?? []) {
    if (!OWN_PARAMS.has(k) && /^[a-z0-9-]+$/.test(k)) out.push(...renderParam(k, v));
  }
  return out;
}

/**
 * A rebuilt text body part (UTF-8, CTE chosen from the text) with what the
 * sender wrote around it: format=flowed and delsp (RFC 3676), its name, its
 * disposition if it had one, Content-ID and the descriptive fields.
 */
function textBodyLeaf(
  msg: ParsedMessage,
  part: MimePart,
  subtype: 'plain' | 'html',
  text: string,
  disp: ReturnType<typeof disposition>,
  filename: string | undefined,
): LeafPart {
  const plain = textPart(subtype, textBytes(text, part));
  const params = ['charset=utf-8', ...renderingParams(part)];
  if (filename !== undefined) params.push(...renderParam('name', filename));
  const headers = [
    renderParamHeader('Content-Type', `text/${subtype}`, params),
    ...plain.headers.slice(1),
  ];
  if (disp.kind !== undefined) {
    const fp = filename !== undefined ? renderParam('filename', filename) : [];
    headers.push(renderParamHeader('Content-Disposition', disp.kind, fp));
  }
  const cid = cidOf(part, msg);
  if (cid !== undefined) headers.push(`Content-ID: <${cid}>\r\n`);
  headers.push(...carriedFields(msg, part));
  return { ...plain, headers };
}

function buildLeaf(msg: ParsedMessage, part: MimePart, s: BodySettings): Built {
  const media = s.htmlParts.has(part.path) ? 'text/html' : part.mediaType;
  const disp = disposition(part, msg, s);
  const isBody = (media === 'text/plain' || media === 'text/html') && disp.kind !== 'attachment';
  const signed = SIGNED.has(media);
  if (signed || (part.path !== '' && !s.flaggedParts.has(part.path))) {
    const kept = part.path === '' || s.errorParts.has(part.path) ? undefined : carried(msg, part);
    if (kept) return { node: kept, plain: isBody && media === 'text/plain' };
    if (signed)
      refuse(`signed-part@${label(part)}`, `${media} is signed or encrypted; it is never rebuilt`);
  }
  const ct = part.contentType;
  const filename = fileName(part, msg, disp.filename, s);
  const bytes = decodedBody(msg, part);
  if (media.startsWith('text/')) {
    const charset = ct?.params.get('charset');
    if (charset && /utf-?7/i.test(charset))
      refuse(`charset-utf7@${label(part)}`, 'UTF-7 text is an evasion vector; it is not converted');
    const read = readBodyText(bytes, charset, s.legacyCharset);
    if (isBody) {
      const subtype = media === 'text/plain' ? 'plain' : 'html';
      const node = textBodyLeaf(msg, part, subtype, read.text, disp, filename);
      return subtype === 'html' ? { node, html: read.text } : { node, plain: true };
    }
    // An attached file keeps its bytes (line ends CRLF: RFC 2045 §6.8 encodes canonical
    // text); only a missing or wrong label is corrected.
    const cs = read.relabelled || !charset ? read.charset : charset.trim().toLowerCase();
    const canonical = toCrlfBinary(bytes);
    return {
      node: binaryLeaf(msg, part, media, canonical, renderParam('charset', cs), disp, filename),
    };
  }
  if (media.startsWith('message/')) return { node: messageLeaf(part, media, bytes) };
  return {
    node: binaryLeaf(msg, part, media || 'application/octet-stream', bytes, [], disp, filename),
  };
}

function binaryLeaf(
  msg: ParsedMessage,
  part: MimePart,
  media: string,
  content: Buffer,
  extra: string[],
  disp: ReturnType<typeof disposition>,
  filename: string | undefined,
): LeafPart {
  const params = [...extra, ...renderingParams(part)];
  // A part that had no Content-Disposition gains none (it would turn into an attachment):
  // its name stays in Content-Type, RFC 2231-encoded when it must be.
  if (disp.kind === undefined && filename !== undefined)
    params.push(...renderParam('name', filename));
  const cid = cidOf(part, msg);
  const leaf = binaryPart(content, {
    contentType: media,
    typeParams: params,
    ...(disp.kind !== undefined && { disposition: disp.kind }),
    ...(disp.kind !== undefined && filename !== undefined && { filename }),
    ...(cid !== undefined && { cid }),
  });
  return { ...leaf, headers: [...leaf.headers, ...carriedFields(msg, part)] };
}

/** message/* may not be base64 (RFC 2046 §5.2.1): clean 7-bit content passes as it is. */
function messageLeaf(part: MimePart, media: string, bytes: Buffer): LeafPart {
  const crlf = toCrlfBinary(bytes);
  const long = crlf
    .toString('latin1')
    .split('\r\n')
    .some((l) => l.length > MAX_LINE_LENGTH);
  if (has8bit(crlf) || long || crlf.includes(0)) {
    refuse(
      `message-part-8bit@${label(part)}`,
      `${media} with 8-bit or over-long lines cannot be re-encoded`,
    );
  }
  const body = crlf.length >= 2 && crlf[crlf.length - 2] === 13 ? crlf.subarray(0, -2) : crlf;
  return {
    kind: 'leaf',
    cte: '7bit',
    headers: [renderParamHeader('Content-Type', media, [])],
    body,
  };
}

function build(msg: ParsedMessage, part: MimePart, s: BodySettings, out: Built[]): MimeNode {
  if (!part.mediaType.startsWith('multipart/') || part.boundary === undefined) {
    const b = buildLeaf(msg, part, s);
    out.push(b);
    return b.node;
  }
  const subtype = part.mediaType.slice('multipart/'.length) as MultipartNode['subtype'];
  if (!SUPPORTED.includes(subtype)) return opaque(msg, part, s);
  if (part.children.length === 0)
    refuse(`empty-multipart@${label(part)}`, 'a multipart with no parts');
  const parts = part.children.map((c) => build(msg, c, s, out));
  return multipart(subtype, parts);
}

/**
 * A multipart repair does not rebuild (signed, encrypted, report, digest,
 * parallel, …) is carried as it is, inner boundaries and all, when no finding
 * repair must act on lies inside it; else it is refused. A signed part is
 * refused only for an error inside it: anything less is left as signed.
 */
function opaque(msg: ParsedMessage, part: MimePart, s: BodySettings): MimeNode {
  const signed = SIGNED.has(part.mediaType);
  const blocked = within(part.path, signed ? s.errorParts : s.flaggedParts);
  const kept = part.path === '' || blocked ? undefined : carried(msg, part);
  if (kept) return kept;
  if (signed)
    refuse(
      `signed-part@${label(part)}`,
      `${part.mediaType} is signed or encrypted and cannot be repaired without breaking it`,
    );
  refuse(
    `unsupported-multipart:${part.mediaType.slice('multipart/'.length)}@${label(part)}`,
    `${part.mediaType} is carried unchanged or not at all, and something inside it needs a rebuild`,
  );
}

/**
 * Rebuilds the body. `textFromHtml` (html-to-text, loaded lazily by the caller)
 * is called only when an HTML body has no plain-text part.
 */
export async function repairBody(
  msg: ParsedMessage,
  s: BodySettings,
  textFromHtml: () => Promise<(html: string) => string>,
): Promise<MimeNode> {
  const built: Built[] = [];
  const root = build(msg, msg.root, s, built);
  if (built.some((b) => b.plain)) return root;
  const html = built.find((b) => b.html !== undefined);
  if (!html) return root;
  const toText = await textFromHtml();
  const plain = textPart('plain', textBytes(toText(html.html!), msg.root));
  return wrapAlternative(root, html.node, plain);
}

/** Puts `plain` beside `htmlNode` (or beside the related group holding it) as multipart/alternative. */
function wrapAlternative(node: MimeNode, htmlNode: MimeNode, plain: LeafPart): MimeNode {
  if (node === htmlNode) return multipart('alternative', [plain, node]);
  if (node.kind === 'leaf') return node;
  if (node.subtype === 'related' && node.parts.includes(htmlNode)) {
    return multipart('alternative', [plain, node]);
  }
  if (node.subtype === 'alternative' && node.parts.includes(htmlNode)) {
    return { ...node, parts: [plain, ...node.parts] };
  }
  return { ...node, parts: node.parts.map((p) => wrapAlternative(p, htmlNode, plain)) };
}
