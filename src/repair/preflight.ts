/**
 * What repair refuses before changing anything: structures that could be
 * read two ways (and so may be an attack), not merely broken ones.
 */

import { MAX_MIME_PARTS } from '../lint/limits.js';
import type { HeaderField, MimePart, ParsedMessage } from '../lint/parse.js';
import {
  ENTITY_SINGLETONS,
  SINGLETONS as HEADER_SINGLETONS,
} from '../lint/rules/required-headers.js';
import { refuse } from './refuse.js';

/** Fields that must appear at most once; a second one is ambiguous (the lint rule's list). */
const SINGLETONS = [...HEADER_SINGLETONS, ...ENTITY_SINGLETONS];

/** A continuation line that reads like one of these fields was probably injected. */
const INJECTED_FIELD =
  /^[ \t]+(?:bcc|cc|to|from|sender|reply-to|subject|date|message-id|return-path|mime-version|content-type|content-transfer-encoding|content-disposition)[ \t]*:/i;

const SIGNATURE_FIELD = /(?:^|-)signature$|^arc-/;

function headerProblems(msg: ParsedMessage, part: MimePart): void {
  const b = msg.bytes;
  const where = part.path === '' ? '' : `@part-${part.path}`;
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
export function preflight(msg: ParsedMessage): void {
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
  for (const p of msg.parts) headerProblems(msg, p);
  for (const key of SINGLETONS) {
    const n = msg.root.headers.filter((h) => h.key === key).length;
    if (n > 1)
      refuse(`duplicate-header:${key}`, `${n} ${key} fields; which one was meant cannot be told`);
  }
}
