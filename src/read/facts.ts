/**
 * Facts about one part's body that several lint rules need (8-bit octets,
 * NUL, line shape, quoted-printable well-formedness, UTF-8 validity), each
 * computed at most once per part and shared by every rule that asks.
 *
 * Each fact is lazy: linting a message with a 20 MiB base64 attachment asks
 * only for the attachment's line shape and never decodes it. Where a fact is
 * one native scan (`isAscii`, `isUtf8`, `indexOf`) it stays one; those are
 * several times faster than a JavaScript loop computing all facts at once.
 * Message-wide line facts (bare CR/LF, lines over 78/998) are
 * {@link ParsedMessage.stats}, from the parser's own pass.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import {
  bodyBytes,
  decodedBody,
  isWellFormedQuotedPrintable,
  lineOf,
  type MimePart,
  type ParsedMessage,
} from './parse.js';

/** Line shape of a body as written (transfer-encoded). */
export interface LineShape {
  /** Longest line, octets without the line break. */
  maxLen: number;
  /** Octets that are not line breaks. */
  data: number;
}

export class PartFacts {
  #raw8bit: boolean | undefined;
  #nul: boolean | undefined;
  #lines: LineShape | undefined;
  #decoded8bit: boolean | undefined;
  #utf8: boolean | undefined;

  constructor(
    private readonly msg: ParsedMessage,
    readonly part: MimePart,
  ) {}

  /** The body as written has an octet ≥ 0x80. */
  get raw8bit(): boolean {
    this.#raw8bit ??= !isAscii(bodyBytes(this.msg, this.part));
    return this.#raw8bit;
  }

  /** The body as written has a NUL octet. */
  get nul(): boolean {
    this.#nul ??= bodyBytes(this.msg, this.part).indexOf(0) !== -1;
    return this.#nul;
  }

  /** Line shape of the body as written, from the parser's line index (no scan of its own). */
  get lines(): LineShape {
    this.#lines ??= partLineShape(this.msg, this.part);
    return this.#lines;
  }

  /** The body with its transfer encoding removed has an octet ≥ 0x80 (decodes the body). */
  get decoded8bit(): boolean {
    this.#decoded8bit ??= !isAscii(decodedBody(this.msg, this.part));
    return this.#decoded8bit;
  }

  /** The decoded body is valid UTF-8 (strict, as a fatal TextDecoder; true for ASCII). */
  get utf8(): boolean {
    this.#utf8 ??= !this.decoded8bit || isUtf8(decodedBody(this.msg, this.part));
    return this.#utf8;
  }

  /** Quoted-printable whose escapes and line ends are well-formed (known from decoding it). */
  get wellFormedQuotedPrintable(): boolean {
    return isWellFormedQuotedPrintable(this.msg, this.part);
  }
}

const cache = new WeakMap<MimePart, PartFacts>();

/** The facts of a part's body, created on first use. */
export function partFacts(msg: ParsedMessage, part: MimePart): PartFacts {
  let f = cache.get(part);
  if (!f) {
    f = new PartFacts(msg, part);
    cache.set(part, f);
  }
  return f;
}

/** Line shape of a part body from the parser's line index. */
function partLineShape(msg: ParsedMessage, part: MimePart): LineShape {
  const { lineStarts, bytes } = msg;
  let maxLen = 0;
  let data = 0;
  const first = lineOf(msg, part.bodyStart);
  const last = lineOf(msg, Math.max(part.bodyStart, part.bodyEnd - 1));
  for (let n = first; n <= last; n++) {
    const start = Math.max(lineStarts[n - 1]!, part.bodyStart);
    let end = n < msg.lineCount ? lineStarts[n]! : bytes.length;
    if (end > part.bodyEnd) end = part.bodyEnd;
    if (end > start && bytes[end - 1] === 0x0a) end--;
    if (end > start && bytes[end - 1] === 0x0d) end--;
    const len = end - start;
    if (len > maxLen) maxLen = len;
    data += len;
  }
  return { maxLen, data };
}
