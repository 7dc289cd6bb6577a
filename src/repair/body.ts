/**
 * The MIME tree of a legacy message → a MimeNode for the composer's renderer.
 * Every leaf is decoded (transfer encoding, charset) and re-made with
 * textPart/binaryPart, so the CTE is chosen from the real bytes: 8-bit text
 * labelled 7bit, over-long lines and broken encodings all come out right.
 * Text becomes UTF-8; HTML without a plain-text twin gets one.
 */
import { textToBytes } from '../body/text.js';
import { MailHygieneError } from '../errors.js';
import { has8bit } from '../lint/decode.js';
import { parseParams } from '../lint/mime-params.js';
import { decodedBody, type MimePart, type ParsedMessage, unfold } from '../lint/parse.js';
import { binaryPart, multipart, renderParam, renderParamHeader, textPart } from '../mime/parts.js';
import type { LeafPart, MimeNode, MultipartNode } from '../mime/tree.js';
import { refuse } from './refuse.js';
import { decodeHeaderWords, rawHeaderCharset, readBodyText, readHeaderBinary } from './text.js';

export interface BodySettings {
  legacyCharset: string;
  /** Paths of text/plain parts that hold HTML (lint: html-without-mime). */
  htmlParts: ReadonlySet<string>;
  /** Paths of body parts a lint finding points into: those are always rebuilt. */
  flaggedParts: ReadonlySet<string>;
}

const SUPPORTED: ReadonlyArray<MultipartNode['subtype']> = ['mixed', 'alternative', 'related'];
/** Content-Type parameters the rebuild sets itself. */
const OWN_PARAMS = new Set(['charset', 'name', 'boundary']);

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
    if (stop - pos > 76) return false;
    for (let i = pos; i < stop; i++) if (B64[b[i]!] === 0) return false;
    pos = lf + 1;
  }
  return true;
}

/**
 * A base64 body part nothing is wrong with (no finding, clean 7-bit header
 * lines, clean base64) goes through unchanged: the attachment is neither
 * decoded nor re-encoded.
 */
function keptAsIs(msg: ParsedMessage, part: MimePart, s: BodySettings): LeafPart | undefined {
  if (part.path === '' || part.cte !== 'base64' || s.flaggedParts.has(part.path)) return undefined;
  if (part.mediaType.startsWith('text/') || part.mediaType.startsWith('message/')) return undefined;
  const headers: string[] = [];
  for (const h of part.headers) {
    const lines = msg.bytes.toString('latin1', h.start, h.end).split(/\r?\n/);
    if (lines.some((l) => l.length > 998 || /[^\x09\x20-\x7e]/.test(l))) return undefined;
    headers.push(`${lines.join('\r\n')}\r\n`);
  }
  const body = msg.bytes.subarray(part.bodyStart, part.bodyEnd);
  if (!isCleanBase64(body)) return undefined;
  // The renderer adds the line break before the next delimiter itself.
  const end = body.length >= 2 && body[body.length - 2] === 13 ? body.length - 2 : body.length;
  return { kind: 'leaf', cte: 'base64', headers, body: body.subarray(0, end) };
}

function buildLeaf(msg: ParsedMessage, part: MimePart, s: BodySettings): Built {
  const kept = keptAsIs(msg, part, s);
  if (kept) return { node: kept };
  const ct = part.contentType;
  const media = s.htmlParts.has(part.path) ? 'text/html' : part.mediaType;
  const disp = disposition(part, msg, s);
  const named =
    disp.filename ??
    (ct?.params.has('name')
      ? parseParams(paramHeader(part, msg, 'content-type', s) ?? '').params.get('name')
      : undefined);
  // Encoded-words inside quoted parameters are forbidden (RFC 2047 §5) but common; mail clients decode them.
  const filename = named === undefined ? undefined : decodeHeaderWords(named);
  const isBody = disp.kind !== 'attachment' && filename === undefined;
  const bytes = decodedBody(msg, part);
  if (media.startsWith('text/')) {
    const charset = ct?.params.get('charset');
    if (charset && /utf-?7/i.test(charset))
      refuse(`charset-utf7@${label(part)}`, 'UTF-7 text is an evasion vector; it is not converted');
    const read = readBodyText(bytes, charset, s.legacyCharset);
    if ((media === 'text/plain' || media === 'text/html') && isBody) {
      const node = textPart(media === 'text/plain' ? 'plain' : 'html', textBytes(read.text, part));
      return media === 'text/html' ? { node, html: read.text } : { node, plain: true };
    }
    // An attached file keeps its bytes; only a missing or wrong label is corrected.
    const cs = read.relabelled || !charset ? read.charset : charset.trim().toLowerCase();
    return {
      node: binaryLeaf(msg, part, media, bytes, renderParam('charset', cs), disp, filename),
    };
  }
  if (media.startsWith('message/')) return { node: messageLeaf(msg, part, media, bytes) };
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
  const params = [...extra];
  for (const [k, v] of part.contentType?.params ?? []) {
    if (!OWN_PARAMS.has(k) && /^[a-z0-9-]+$/.test(k)) params.push(...renderParam(k, v));
  }
  const cid = cidOf(part, msg);
  return binaryPart(content, {
    contentType: media,
    typeParams: params,
    ...(filename !== undefined && { filename }),
    ...((disp.kind ?? (filename !== undefined ? 'attachment' : undefined)) && {
      disposition: disp.kind ?? 'attachment',
    }),
    ...(cid !== undefined && { cid }),
  });
}

/** message/* may not be base64 (RFC 2046 §5.2.1): clean 7-bit content passes as it is. */
function messageLeaf(msg: ParsedMessage, part: MimePart, media: string, bytes: Buffer): LeafPart {
  const crlf = Buffer.from(bytes.toString('latin1').replace(/\r\n|\r|\n/g, '\r\n'), 'latin1');
  const long = crlf
    .toString('latin1')
    .split('\r\n')
    .some((l) => l.length > 998);
  if (has8bit(crlf) || long || crlf.includes(0)) {
    refuse(
      `message-part-8bit@${label(part)}`,
      `${media} with 8-bit or over-long lines cannot be re-encoded`,
    );
  }
  void msg;
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
  if (!SUPPORTED.includes(subtype)) {
    refuse(
      `unsupported-multipart:${subtype}@${label(part)}`,
      `multipart/${subtype} is not rebuilt (signatures, reports and digests must stay as they are)`,
    );
  }
  if (part.children.length === 0)
    refuse(`empty-multipart@${label(part)}`, 'a multipart with no parts');
  const parts = part.children.map((c) => build(msg, c, s, out));
  return multipart(subtype, parts);
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
