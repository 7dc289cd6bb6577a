/**
 * What repair refuses before changing anything: structures that could be
 * read two ways (and so may be an attack), not merely broken ones.
 */

import { ENTITY_SINGLETONS, SINGLETONS as HEADER_SINGLETONS } from '../lint/index.js';
import {
  type HeaderField,
  lineOf,
  type MimePart,
  type ParsedMessage,
  parseParams,
  unfold,
} from '../read/index.js';
import { findUnsafeCodePoint, formatCodePoint, MAX_MIME_PARTS } from '../wire/index.js';
import { refuse } from './refuse.js';
import { decodeHeaderWords, rawHeaderCharset, readHeaderBinary } from './text.js';

/** Fields that must appear at most once; a second one is ambiguous (the lint rule's list). */
const SINGLETONS = [...HEADER_SINGLETONS, ...ENTITY_SINGLETONS];

/** A continuation line that reads like one of these fields was probably injected. */
const INJECTED_FIELD =
  /^[ \t]+(?:bcc|cc|to|from|sender|reply-to|subject|date|message-id|return-path|mime-version|content-type|content-transfer-encoding|content-disposition)[ \t]*:/i;

const SIGNATURE_FIELD = /(?:^|-)signature$|^arc-/;

/**
 * A bare LF between header lines that end in CRLF: an injection remnant, not a
 * line-end style. PHP 8's mail() lets one `\n` of a form field through into an
 * additional header (`Reply-To: v@example.net\nBcc: evil@x.example`), and every
 * line around it ends in CRLF. Legitimate mixes have one shape, runs in order:
 * PHP 7 and PHP 8 with `mail.mixed_lf_and_crlf=On` end the To and Subject lines
 * they write in LF, the additional headers as the script wrote them (CRLF
 * between them), the last one and the empty line in LF: LF* CRLF* LF*. Only a
 * bare LF with CRLF-ended lines on both sides breaks that shape.
 */
function bareLfBetweenCrlf(msg: ParsedMessage, part: MimePart, where: string): void {
  const b = msg.bytes;
  // A body part's block continues the text of its delimiter line: that line's end counts as before it.
  let crlfSeen = part.path !== '' && b[part.start - 1] === 0x0a && b[part.start - 2] === 0x0d;
  let bareLfLine = 0; // first bare-LF line after a CRLF line, waiting for a CRLF line after it
  for (let n = lineOf(msg, part.start); n <= msg.lineCount; n++) {
    const start = msg.lineStarts[n - 1]!;
    if (start >= part.bodyStart) break;
    // Line n ends just before the next line starts (or at the last octet of the message).
    const lf = n < msg.lineCount ? msg.lineStarts[n]! - 1 : b.length - 1;
    if (lf < start || b[lf] !== 0x0a) break; // the last line has no line end
    if (lf > start && b[lf - 1] === 0x0d) {
      if (bareLfLine !== 0) {
        refuse(
          `bare-lf-in-header${where}`,
          `line ${bareLfLine} ends in a bare LF between lines that end in CRLF: a line break smuggled into a header value (e.g. a form field passed to PHP's mail()); reject newlines in the input that builds the header`,
        );
      }
      crlfSeen = true;
    } else if (crlfSeen && bareLfLine === 0) bareLfLine = n;
  }
}

/**
 * A file name whose RFC 2231 or RFC 2047 value decodes to a line break or a
 * control character: re-encoding it would carry the injection on, so refuse.
 */
function unsafeFilename(
  msg: ParsedMessage,
  part: MimePart,
  where: string,
  legacyCharset: string,
): void {
  for (const h of part.headers) {
    if (h.key !== 'content-disposition' && h.key !== 'content-type') continue;
    const pname = h.key === 'content-type' ? 'name' : 'filename';
    const parsed =
      h.key === 'content-type' && part.contentType ? part.contentType : parseParams(unfold(msg, h));
    const value = parsed.params.get(pname);
    if (value === undefined) continue;
    // A plain (not RFC 2231) value with raw 8-bit octets is legacy text (a
    // windows-1252 0x80 is €, not a C1 control): read it as repair will write
    // it, through the charset layer. RFC 2231 values are decoded already.
    const plain = !parsed.raw.some((r) => r.name.startsWith(`${pname}*`));
    const text = plain ? readHeaderBinary(value, rawHeaderCharset(msg, legacyCharset)) : value;
    const cp = findUnsafeCodePoint(decodeHeaderWords(text));
    if (cp !== -1) {
      refuse(
        `filename-unsafe${where}`,
        `the ${pname} parameter of ${h.name} decodes to ${formatCodePoint(cp)} (a line break or control character); reject it where the file name comes from`,
      );
    }
  }
}

function headerProblems(msg: ParsedMessage, part: MimePart, legacyCharset: string): void {
  const b = msg.bytes;
  const where = part.path === '' ? '' : `@part-${part.path}`;
  bareLfBetweenCrlf(msg, part, where);
  unsafeFilename(msg, part, where, legacyCharset);
  // Bare CR inside the header block: some readers end the line there (probe-injection-cr).
  for (
    let i = b.indexOf(0x0d, part.start);
    i !== -1 && i < part.bodyStart;
    i = b.indexOf(0x0d, i + 1)
  ) {
    if (b[i + 1] !== 0x0a)
      refuse(
        `bare-cr-in-header${where}`,
        'a header line contains a bare CR, which readers split differently',
      );
  }
  for (const h of part.headers) {
    for (let i = 0; i < h.name.length; i++) {
      const c = h.name.charCodeAt(i);
      if (c < 0x21 || c > 0x7e)
        refuse(
          `header-name-invalid${where}`,
          `header name ${JSON.stringify(h.name)} is not printable ASCII`,
        );
    }
    if (h.spaceBeforeColon)
      refuse(`header-name-invalid${where}`, `whitespace before the colon of ${h.name}`);
    for (let i = h.valueStart; i < h.end; i++) {
      const c = b[i]!;
      if ((c < 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) || c === 0x7f) {
        refuse(
          `header-control-chars:${h.key}${where}`,
          `${h.name} contains control character 0x${c.toString(16).padStart(2, '0')}`,
        );
      }
    }
    // Signature fields fold their `h=` lists of field names (`from:to:subject`) on purpose.
    if (h.lines > 1 && !SIGNATURE_FIELD.test(h.key)) checkContinuations(msg, h, where);
  }
}

function checkContinuations(msg: ParsedMessage, h: HeaderField, where: string): void {
  const lines = msg.bytes.toString('latin1', h.valueStart, h.end).split(/\r?\n/).slice(1);
  for (const line of lines) {
    if (INJECTED_FIELD.test(line)) {
      refuse(
        `injected-header:${h.key}${where}`,
        `a folded line of ${h.name} reads like another header field: ${JSON.stringify(line.trim().slice(0, 60))}`,
      );
    }
  }
}

/**
 * Throws REPAIR_REFUSED when the message cannot be repaired without guessing.
 * Checks the header block boundaries, injected-looking lines, control
 * characters, duplicate singleton fields and ambiguous MIME structure.
 */
export function preflight(msg: ParsedMessage, legacyCharset: string): void {
  for (const d of msg.defects) {
    const top = d.path === '';
    if (d.kind === 'missing-separator' && top) {
      refuse(
        'header-line-without-colon',
        `line ${d.line} in the header block is not a header field and not the empty line before the body`,
      );
    }
    if (d.kind === 'first-line-continuation' && top) {
      refuse(
        'header-block-undelimited',
        `the message starts with a continuation line (line ${d.line})`,
      );
    }
    if (d.kind === 'whitespace-only-continuation') {
      refuse(
        `ambiguous-header-end${top ? '' : `@part-${d.path}`}`,
        `line ${d.line} holds only whitespace; readers disagree whether the header block ends there`,
      );
    }
    if (d.kind === 'no-delimiter')
      refuse(
        `multipart-without-delimiter@part-${d.path || 'message'}`,
        'a multipart body has no boundary line, so its parts cannot be told apart',
      );
    if (d.kind === 'nested-boundary-prefix')
      refuse(
        `nested-boundary-prefix@part-${d.path}`,
        'a nested boundary is a prefix of its parent; readers split the parts differently',
      );
    if (d.kind === 'too-deep') refuse('mime-too-deep', 'the MIME tree is nested too deeply');
    if (d.kind === 'too-many-parts')
      refuse('mime-too-many-parts', `the message has more than ${MAX_MIME_PARTS} MIME parts`);
  }
  if (msg.root.headers.length === 0)
    refuse('header-block-undelimited', 'the message has no header fields');
  for (const p of msg.parts) headerProblems(msg, p, legacyCharset);
  for (const key of SINGLETONS) {
    const n = msg.root.headers.filter((h) => h.key === key).length;
    if (n > 1)
      refuse(`duplicate-header:${key}`, `${n} ${key} fields; which one was meant cannot be told`);
  }
}
