/**
 * Tolerant raw parser. One pass over the octets records every line start and
 * the line-ending statistics; header blocks and the MIME tree are then cut out
 * of the same buffer with `indexOf`, keeping offsets into the original bytes.
 * Nothing is normalised and no body is decoded here (see decode.ts and the
 * lazy helpers on {@link ParsedMessage}), so rules judge the exact bytes and
 * `repair()` can rebuild from the same structure.
 */
import {
  FOLD_AT,
  MAX_LINE_LENGTH,
  MAX_MIME_DEPTH,
  MAX_MIME_PARTS,
  stripComments,
} from '../wire/index.js';
import {
  decodeCharset,
  decodeQuotedPrintableChecked,
  decodeTransfer,
  headerText,
  type QuotedPrintableDecoded,
} from './decode.js';
import { type ContentType, parseContentType } from './mime-params.js';

type LineEnding = 'crlf' | 'lf' | 'mixed' | 'none';

/** A header field as written. Offsets are into {@link ParsedMessage.bytes}. */
export interface HeaderField {
  /** Name as written (binary string), without trailing whitespace. */
  name: string;
  /** Lower-case name, for lookups. */
  key: string;
  /** 1-based line number of the first line. */
  line: number;
  /** Number of physical lines (1 + continuation lines). */
  lines: number;
  /** Offset of the first octet of the field. */
  start: number;
  /** Offset just after the colon. */
  valueStart: number;
  /** Offset of the end of the last line's content (before CR/LF). */
  end: number;
  /** Whitespace between the name and the colon (`Subject : x`). */
  spaceBeforeColon: boolean;
}

type StructureDefectKind =
  | 'first-line-continuation'
  | 'whitespace-only-continuation'
  | 'invalid-header-line'
  | 'missing-separator'
  | 'missing-closing-delimiter'
  | 'no-delimiter'
  | 'nested-boundary-prefix'
  | 'too-deep'
  | 'too-many-parts';

interface StructureDefect {
  kind: StructureDefectKind;
  /** 1-based line number. */
  line: number;
  /** MIME part path ('' is the message). */
  path: string;
}

/** One entity of the MIME tree: the message itself or a body part. */
export interface MimePart {
  /** '' for the message, '1', '1.2', … for body parts. */
  path: string;
  headers: HeaderField[];
  /** Offset of the part's first header octet. */
  start: number;
  /** Offset of the first body octet. */
  bodyStart: number;
  /** Offset after the last body octet (the line break before a delimiter is excluded). */
  bodyEnd: number;
  /** False when the header block ended without an empty line before the body. */
  hasSeparator: boolean;
  /** Parsed Content-Type, undefined when the field is absent. */
  contentType: ContentType | undefined;
  /** Effective lower-case media type (RFC 2045 defaults applied). */
  mediaType: string;
  /** Lower-case Content-Transfer-Encoding, undefined when absent. */
  cte: string | undefined;
  /** Boundary of a multipart entity. */
  boundary: string | undefined;
  children: MimePart[];
  /** For multiparts: whether the close delimiter `--boundary--` was found. */
  closed: boolean;
}

interface LineStats {
  crlf: number;
  bareLf: number;
  bareCr: number;
  crcrlf: number;
  firstBareLf: number;
  firstBareCr: number;
  /** Line numbers and lengths (octets, without line break) of the first lines over 998. */
  over998: Array<{ line: number; length: number }>;
  over998Count: number;
  over78Count: number;
  firstOver78: number;
  ending: LineEnding;
}

export interface ParsedMessage {
  bytes: Buffer;
  /** Offset of the first octet of line n is `lineStarts[n - 1]`. */
  lineStarts: Uint32Array;
  lineCount: number;
  stats: LineStats;
  root: MimePart;
  defects: StructureDefect[];
  /** Every part, depth first, root first. */
  parts: MimePart[];
}

/**
 * Parses raw message bytes. Never throws on malformed input.
 *
 * @example
 * ```ts
 * const msg = parseMessage(Buffer.from('Subject: hi\r\n\r\nbody\r\n'))
 * fieldValue(msg, msg.root.headers[0]!) // 'hi'
 * ```
 */
/** The line index of `bytes`, before any part is read (`root` is set by the caller). */
function scanned(bytes: Buffer): ParsedMessage {
  const { lineStarts, lineCount, stats } = scanLines(bytes);
  return {
    bytes,
    lineStarts,
    lineCount,
    stats,
    defects: [],
    parts: [],
    root: undefined as unknown as MimePart,
  };
}

export function parseMessage(input: Uint8Array | string): ParsedMessage {
  const bytes =
    typeof input === 'string'
      ? Buffer.from(input, 'utf8')
      : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const msg = scanned(bytes);
  msg.root = parsePart(msg, 0, bytes.length, '', 0, undefined);
  return msg;
}

/**
 * Only the header block at the start of `input`, with the same rules as
 * {@link parseMessage} (the one header-block reader; DKIM signs with it).
 * `complete` is false when a line that is no header field ended the block
 * before an empty line or the end of the input.
 *
 * @example
 * ```ts
 * parseHeaderSection(Buffer.from('Subject: a\r\n b\r\n\r\nhi')).headers[0]!.key // 'subject'
 * ```
 */
export function parseHeaderSection(input: Buffer): {
  headers: HeaderField[];
  bodyStart: number;
  complete: boolean;
} {
  const msg = scanned(input);
  const { headers, bodyStart, hasSeparator } = parseHeaderBlock(msg, 0, input.length, '');
  return { headers, bodyStart, complete: hasSeparator };
}

function scanLines(b: Buffer) {
  let cap = Math.max(64, (b.length >>> 5) + 16);
  let starts = new Uint32Array(cap);
  let n = 0;
  const stats: LineStats = {
    crlf: 0,
    bareLf: 0,
    bareCr: 0,
    crcrlf: 0,
    firstBareLf: 0,
    firstBareCr: 0,
    over998: [],
    over998Count: 0,
    over78Count: 0,
    firstOver78: 0,
    ending: 'none',
  };
  let pos = 0;
  const len = b.length;
  for (;;) {
    if (n === cap) {
      cap *= 2;
      const next = new Uint32Array(cap);
      next.set(starts);
      starts = next;
    }
    starts[n++] = pos;
    const lf = b.indexOf(0x0a, pos);
    const end = lf === -1 ? len : lf;
    let contentEnd = end;
    if (lf !== -1) {
      if (end > pos && b[end - 1] === 0x0d) {
        contentEnd--;
        stats.crlf++;
        if (contentEnd > pos && b[contentEnd - 1] === 0x0d) stats.crcrlf++;
      } else {
        stats.bareLf++;
        if (stats.firstBareLf === 0) stats.firstBareLf = n;
      }
    }
    const length = contentEnd - pos;
    if (length > FOLD_AT) {
      if (stats.over78Count++ === 0) stats.firstOver78 = n;
      if (length > MAX_LINE_LENGTH && stats.over998Count++ < 5)
        stats.over998.push({ line: n, length });
    }
    if (lf === -1 || lf + 1 === len) break;
    pos = lf + 1;
  }
  // Bare CR: a CR not followed by LF (CR CR LF counts once, as its first CR).
  for (let i = b.indexOf(0x0d); i !== -1; i = b.indexOf(0x0d, i + 1)) {
    if (b[i + 1] !== 0x0a) {
      if (stats.bareCr++ === 0) stats.firstBareCr = lineAt(starts, n, i);
    }
  }
  stats.ending =
    stats.crlf + stats.bareLf === 0
      ? 'none'
      : stats.bareLf === 0
        ? 'crlf'
        : stats.crlf === 0
          ? 'lf'
          : 'mixed';
  return { lineStarts: starts, lineCount: n, stats };
}

function lineAt(starts: Uint32Array, count: number, offset: number): number {
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** 1-based line number of a byte offset. */
export function lineOf(msg: ParsedMessage, offset: number): number {
  return lineAt(msg.lineStarts, msg.lineCount, offset);
}

/** End of line `n`'s content (before CR LF / LF), and the start of the next line. */
function lineBounds(msg: ParsedMessage, n: number, limit: number): [number, number] {
  const start = msg.lineStarts[n - 1]!;
  const next = n < msg.lineCount ? msg.lineStarts[n]! : msg.bytes.length;
  const stop = Math.min(next, limit);
  let end = stop;
  if (end > start && msg.bytes[end - 1] === 0x0a) end--;
  if (end > start && msg.bytes[end - 1] === 0x0d) end--;
  return [end, stop];
}

function isWsp(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09;
}

function parseHeaderBlock(msg: ParsedMessage, start: number, limit: number, path: string) {
  const b = msg.bytes;
  const headers: HeaderField[] = [];
  let current: HeaderField | undefined;
  let n = lineOf(msg, start);
  let pos = start;
  while (pos < limit) {
    const [end, next] = lineBounds(msg, n, limit);
    if (end === pos) {
      // The empty line: the body starts after it.
      return { headers, bodyStart: next, hasSeparator: true };
    }
    if (isWsp(b[pos])) {
      let k = pos;
      while (k < end && isWsp(b[k])) k++;
      if (k === end) msg.defects.push({ kind: 'whitespace-only-continuation', line: n, path });
      if (current) {
        current.end = end;
        current.lines++;
      } else msg.defects.push({ kind: 'first-line-continuation', line: n, path });
    } else {
      const colon = b.indexOf(0x3a, pos);
      let nameEnd = colon === -1 || colon > end ? -1 : colon;
      let valid = nameEnd > pos || nameEnd === pos;
      let space = false;
      if (valid) {
        while (nameEnd > pos && isWsp(b[nameEnd - 1])) {
          nameEnd--;
          space = true;
        }
        for (let k = pos; k < nameEnd; k++) {
          const c = b[k]!;
          // Spaces or controls inside the name: this is not a header line.
          if (c <= 0x20 || c === 0x7f) {
            valid = false;
            break;
          }
        }
      }
      if (!valid) {
        msg.defects.push({ kind: 'missing-separator', line: n, path });
        return { headers, bodyStart: pos, hasSeparator: false };
      }
      const name = b.toString('latin1', pos, nameEnd);
      current = {
        name,
        key: name.toLowerCase(),
        line: n,
        lines: 1,
        start: pos,
        valueStart: colon + 1,
        end,
        spaceBeforeColon: space,
      };
      headers.push(current);
    }
    pos = next;
    n++;
  }
  return { headers, bodyStart: limit, hasSeparator: true };
}

function parsePart(
  msg: ParsedMessage,
  start: number,
  end: number,
  path: string,
  depth: number,
  parentType: string | undefined,
): MimePart {
  const { headers, bodyStart, hasSeparator } = parseHeaderBlock(msg, start, end, path);
  const ctField = headers.find((h) => h.key === 'content-type');
  const contentType = ctField ? parseContentType(unfold(msg, ctField)) : undefined;
  const cteField = headers.find((h) => h.key === 'content-transfer-encoding');
  const cte = cteField ? stripComments(unfold(msg, cteField)).trim().toLowerCase() : undefined;
  const defaultType = parentType === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
  const mediaType = contentType?.mediaType || defaultType;
  const part: MimePart = {
    path,
    headers,
    start,
    bodyStart,
    bodyEnd: end,
    hasSeparator,
    contentType,
    mediaType,
    cte,
    boundary: undefined,
    children: [],
    closed: false,
  };
  msg.parts.push(part);
  const boundary = contentType?.params.get('boundary');
  if (mediaType.startsWith('multipart/') && boundary) {
    part.boundary = boundary;
    if (depth >= MAX_MIME_DEPTH) {
      msg.defects.push({ kind: 'too-deep', line: lineOf(msg, start), path });
      return part;
    }
    splitMultipart(msg, part, boundary, end, depth);
  }
  return part;
}

function splitMultipart(
  msg: ParsedMessage,
  part: MimePart,
  boundary: string,
  end: number,
  depth: number,
) {
  const b = msg.bytes;
  const delim = Buffer.from(`--${boundary}`, 'latin1');
  const region = b.subarray(0, end);
  const starts: Array<[number, number]> = []; // [delimiter line start, next line start]
  let search = part.bodyStart;
  for (;;) {
    const at = region.indexOf(delim, search);
    if (at === -1) break;
    search = at + delim.length;
    if (at !== part.bodyStart && b[at - 1] !== 0x0a) continue;
    let k = at + delim.length;
    const close = b[k] === 0x2d && b[k + 1] === 0x2d;
    if (close) k += 2;
    while (k < end && isWsp(b[k])) k++;
    if (k < end && b[k] !== 0x0d && b[k] !== 0x0a) continue; // `--boundaryX`: another line
    if (b[k] === 0x0d) k++;
    if (b[k] === 0x0a) k++;
    if (close) {
      part.closed = true;
      starts.push([at, -1]);
      break;
    }
    starts.push([at, k]);
  }
  const line = lineOf(msg, part.bodyStart);
  if (starts.length === 0) {
    msg.defects.push({ kind: 'no-delimiter', line, path: part.path });
    return;
  }
  if (!part.closed) msg.defects.push({ kind: 'missing-closing-delimiter', line, path: part.path });
  let idx = 0;
  for (let i = 0; i < starts.length; i++) {
    const [, contentStart] = starts[i]!;
    if (contentStart === -1) break;
    const nextDelim = i + 1 < starts.length ? starts[i + 1]![0] : end;
    // The line break before the next delimiter belongs to the delimiter (RFC 2046 §5.1.1).
    let contentEnd = nextDelim;
    if (i + 1 < starts.length) {
      if (contentEnd > contentStart && b[contentEnd - 1] === 0x0a) contentEnd--;
      if (contentEnd > contentStart && b[contentEnd - 1] === 0x0d) contentEnd--;
    }
    if (msg.parts.length >= MAX_MIME_PARTS) {
      msg.defects.push({
        kind: 'too-many-parts',
        line: lineOf(msg, starts[i]![0]),
        path: part.path,
      });
      break;
    }
    idx++;
    const childPath = part.path === '' ? String(idx) : `${part.path}.${idx}`;
    const child = parsePart(msg, contentStart, contentEnd, childPath, depth + 1, part.mediaType);
    if (
      child.boundary?.startsWith(boundary) ||
      (child.boundary && boundary.startsWith(child.boundary))
    ) {
      msg.defects.push({
        kind: 'nested-boundary-prefix',
        line: child.headers[0]?.line ?? line,
        path: childPath,
      });
    }
    part.children.push(child);
  }
  part.bodyEnd = starts[0]![0];
}

/** The field body with line breaks removed (binary string, one char per octet). */
export function unfold(msg: ParsedMessage, field: HeaderField): string {
  const raw = msg.bytes.toString('latin1', field.valueStart, field.end);
  return field.lines === 1 ? raw : raw.replace(/\r?\n/g, '');
}

/** Unfolded field body as text (UTF-8 when valid, else Latin-1), outer whitespace trimmed. */
export function fieldValue(msg: ParsedMessage, field: HeaderField): string {
  return headerText(unfold(msg, field)).trim();
}

/** The raw body octets of a part (for a multipart: its preamble up to the first delimiter). */
export function bodyBytes(msg: ParsedMessage, part: MimePart): Buffer {
  return msg.bytes.subarray(part.bodyStart, part.bodyEnd);
}

const decodedCache = new WeakMap<MimePart, Buffer>();
/** Quoted-printable parts whose encoding the decoder found well-formed. */
const wellFormedQp = new WeakSet<MimePart>();

/** The body with its transfer encoding removed. Decodes on first call only. */
export function decodedBody(msg: ParsedMessage, part: MimePart): Buffer {
  let d = decodedCache.get(part);
  if (!d) {
    if (part.cte === 'quoted-printable') {
      const qp = decodeQuotedPrintableChecked(bodyBytes(msg, part));
      d = qp.bytes;
      if (qp.wellFormed) wellFormedQp.add(part);
    } else d = decodeTransfer(bodyBytes(msg, part), part.cte);
    decodedCache.set(part, d);
  }
  return d;
}

/**
 * A quoted-printable part whose escapes and line ends are well-formed (see
 * {@link QuotedPrintableDecoded.wellFormed}); decodes the body if not done yet.
 */
export function isWellFormedQuotedPrintable(msg: ParsedMessage, part: MimePart): boolean {
  if (part.cte !== 'quoted-printable') return false;
  decodedBody(msg, part);
  return wellFormedQp.has(part);
}

/** The body as text in its declared charset (default us-ascii, decoded as Latin-1 when invalid). */
export function bodyText(msg: ParsedMessage, part: MimePart) {
  return decodeCharset(decodedBody(msg, part), part.contentType?.params.get('charset'));
}

/** Leaf parts (no children), depth first. */
export function leaves(msg: ParsedMessage): MimePart[] {
  return msg.parts.filter((p) => p.children.length === 0 && !p.mediaType.startsWith('multipart/'));
}
