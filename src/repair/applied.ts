/**
 * What repair acts on, and the `applied` list: each lint finding of the
 * original that the repaired bytes no longer have, reported with what was done.
 */

import type { Finding, RuleId } from '../lint/index.js';
import type { ParsedMessage } from '../read/index.js';

/** Rule ids repair fixes, with what it does about them. */
export const ACTIONS: Readonly<Partial<Record<RuleId, string>>> = {
  'bare-cr-or-lf': 'line endings normalised to CRLF',
  'missing-date': 'Date added',
  'invalid-date': 'Date rewritten in RFC 5322 form',
  'date-skew': 'Date rewritten',
  'missing-message-id': 'Message-ID generated',
  'invalid-message-id': 'Message-ID rewritten',
  'missing-mime-version': 'MIME-Version: 1.0 added',
  'mime-version-invalid': 'MIME-Version: 1.0 set',
  'missing-from': 'From filled in from defaultFrom',
  'subject-needs-encoding': 'Subject encoded as RFC 2047 UTF-8 words',
  'header-8bit-without-smtputf8': 'raw 8-bit header text encoded as RFC 2047 UTF-8 words',
  'needless-encoding': 'needless encoded-words written as plain text',
  'display-name-unquoted-specials': 'display name quoted',
  'recipient-header-invalid': 'recipient list re-written from its mailboxes',
  'encoded-word-syntax': 'encoded-words decoded and re-encoded',
  'encoded-word-forbidden-context': 'encoded-words re-encoded where RFC 2047 allows them',
  'content-type-malformed': 'Content-Type re-written',
  'line-too-long': 'over-long lines re-encoded',
  'missing-charset': 'text labelled with its charset (converted to UTF-8)',
  'charset-mismatch': 'text converted to UTF-8 from the legacy charset',
  'charset-c1-controls':
    'C1 controls read in the Windows code page the bytes are in, text converted to UTF-8',
  'cte-7bit-with-8bit-data': 'body re-encoded with a transfer encoding that matches its bytes',
  'cte-invalid': 'body re-encoded with a valid transfer encoding',
  'encoded-line-syntax': 'body decoded and re-encoded',
  'needless-base64-text': 'text re-encoded without base64',
  'boundary-invalid': 'multipart rebuilt with fresh boundaries',
  'missing-header-body-separator': 'part header block ended at the first non-header line',
  'html-only': 'text/plain alternative generated from the HTML',
  'html-without-mime': 'HTML declared as text/html with a generated text/plain alternative',
  'php-mail-fingerprint': 'PHP fingerprint header removed',
  'return-path-header-present': 'Return-Path removed (the MTA adds it from the envelope)',
  'bcc-header-leak': 'Bcc removed from the message; its addresses stay envelope recipients',
  'attachment-filename-unsafe':
    'file name written once, without directory parts, in both parameters',
  'envelope-sender-unroutable': 'envelope sender replaced by the bounce address',
  'header-envelope-misaligned': 'envelope sender replaced by the bounce address',
};

/** Info findings repair acts on: filters score them or parsers report them as defects. */
const INFO_ACTED_ON = new Set<RuleId>([
  'needless-encoding',
  'php-mail-fingerprint',
  'encoded-word-forbidden-context',
]);

/** True when the finding makes repair rebuild the message. */
function actionable(f: Finding): boolean {
  if (!(f.rule in ACTIONS)) return false;
  if (f.rule === 'date-skew' || f.rule === 'header-envelope-misaligned') return false;
  // A short but well-formed Message-ID (a warning) is kept; only a malformed one is replaced.
  if (f.rule === 'invalid-message-id') return f.severity === 'error';
  return f.severity !== 'info' || INFO_ACTED_ON.has(f.rule);
}

/** The original's findings that the repaired message no longer has (per rule and severity, by count). */
export function appliedFindings(before: readonly Finding[], after: readonly Finding[]): Finding[] {
  // Per rule and severity: an error that became a warning (a malformed Message-ID replaced by
  // one lint still has a style remark about) was fixed.
  const key = (f: Finding) => `${f.rule}\u0000${f.severity}`;
  const left = new Map<string, number>();
  for (const f of after) left.set(key(f), (left.get(key(f)) ?? 0) + 1);
  const out: Finding[] = [];
  for (const f of before) {
    const action = ACTIONS[f.rule] ?? 'fixed by rebuilding the message through the composer';
    const n = left.get(key(f)) ?? 0;
    if (n > 0) {
      left.set(key(f), n - 1);
      continue;
    }
    const done: Finding = {
      rule: f.rule,
      severity: f.severity,
      message: `${action} (was: ${f.message})`,
    };
    if (f.location !== undefined) done.location = f.location;
    out.push(done);
  }
  return out;
}

/** Where the original's findings point: what the repair changes and at which depth. */
export interface FindingTargets {
  /** Lines of top-level fields to re-render. */
  headerLines: Set<number>;
  /** Paths of body parts a finding repair acts on points into: those are rebuilt. */
  parts: Set<string>;
  /** Paths of body parts an error points into. */
  errorParts: Set<string>;
  /** Paths of text/plain parts that hold HTML. */
  htmlParts: Set<string>;
  /** The Message-ID is malformed (an error, not a style warning). */
  messageIdInvalid: boolean;
  /** An error other than bare LF line ends: the message needs more than CRLF. */
  needsRepair: boolean;
  /** An error in the body (or in the message's own MIME fields): the body is rebuilt. */
  rebuildBody: boolean;
  /** MIME-Version must be added (lint: missing-mime-version). */
  addMimeVersion: boolean;
}

/**
 * Warnings repair fixes even when nothing else is wrong: a Bcc field would
 * show every hidden recipient to everyone who gets the message.
 */
const MUST_FIX = new Set<RuleId>([
  'bcc-header-leak',
  // Issue 13: a strict reader shows C1 controls where the sender wrote € – „ “:
  // the text is re-read in the Windows code page and written as UTF-8.
  'charset-c1-controls',
]);

/** Rules about the top-level header block wherever they point (MIME-Version is not the body's). */
const HEADER_RULES = new Set<RuleId>(['missing-mime-version', 'mime-version-invalid']);

/** Last line of the message's header block (1-based). */
function headerEndLine(msg: ParsedMessage): number {
  let end = 0;
  for (const h of msg.root.headers) end = Math.max(end, h.line + h.lines - 1);
  return end;
}

/** The deepest part whose bytes hold line `line` ('' for the message). */
function partAtLine(msg: ParsedMessage, line: number): string {
  const at = msg.lineStarts[line - 1] ?? msg.bytes.length;
  let path = '';
  // Depth first, parents before children: the last part that holds the offset is the deepest.
  for (const p of msg.parts)
    if (p.start <= at && at < Math.max(p.bodyEnd, p.bodyStart)) path = p.path;
  return path;
}

/** A finding's target: a top-level header line, the header block, or a body part. */
type Target =
  | { depth: 'header'; line?: number }
  | { depth: 'body'; part: string | undefined }
  | { depth: 'line-ends' };

function targetOf(f: Finding, msg: ParsedMessage, headerEnd: number): Target {
  // LF line ends become CRLF everywhere without a rebuild; a bare CR needs one.
  if (f.rule === 'bare-cr-or-lf' && msg.stats.bareCr === 0) return { depth: 'line-ends' };
  const loc = f.location;
  // No location (more over-long lines than lint lists) or the envelope: the rebuild finds them itself.
  if (loc === undefined || loc.area === 'envelope') return { depth: 'body', part: undefined };
  // Anything inside a MIME part (a field, a line, the part itself) is fixed by rebuilding that part.
  if (loc.part !== '') return { depth: 'body', part: loc.part };
  if (loc.header !== undefined) {
    // A field without a proper name (empty, or a no-break space in it) is not re-rendered in
    // place: the body rebuild re-reads the whole message.
    if (loc.header === '' || /\s/.test(loc.header)) return { depth: 'body', part: undefined };
    if (HEADER_RULES.has(f.rule)) {
      return loc.header.toLowerCase() === 'mime-version'
        ? { depth: 'header', line: loc.line }
        : { depth: 'header' };
    }
    // The message's own Content-* fields describe its body: the body rebuild renders them.
    if (loc.header.toLowerCase().startsWith('content-')) return { depth: 'body', part: '' };
    return { depth: 'header', line: loc.line };
  }
  if (loc.area === 'header') {
    // A line of the header block that is no field (no name, no separator after it): there is
    // no field to re-render; the rebuild re-reads the block. The block as a whole: re-render it.
    return loc.line === undefined ? { depth: 'header' } : { depth: 'body', part: undefined };
  }
  if (loc.area === undefined && loc.line !== undefined) {
    const n = loc.line;
    if (n <= headerEnd) return { depth: 'header', line: fieldAt(msg, n) };
    return { depth: 'body', part: partAtLine(msg, n) };
  }
  // The message as a whole, or its body.
  return { depth: 'body', part: '' };
}

/** First line of the top-level field that holds line `n`. */
function fieldAt(msg: ParsedMessage, n: number): number | undefined {
  return msg.root.headers.find((h) => h.line <= n && n < h.line + h.lines)?.line;
}

/** Maps lint findings to the header lines and MIME parts they are about, and the depth of the repair. */
export function findingTargets(findings: readonly Finding[], msg: ParsedMessage): FindingTargets {
  const t: FindingTargets = {
    headerLines: new Set(),
    parts: new Set(),
    errorParts: new Set(),
    htmlParts: new Set(),
    messageIdInvalid: false,
    needsRepair: false,
    rebuildBody: false,
    addMimeVersion: false,
  };
  const headerEnd = headerEndLine(msg);
  for (const f of findings) {
    const error = f.severity === 'error' || MUST_FIX.has(f.rule);
    if (!error && !actionable(f)) continue;
    const target = targetOf(f, msg, headerEnd);
    if (target.depth === 'line-ends') continue;
    if (error) t.needsRepair = true;
    if (target.depth === 'header') {
      if (target.line !== undefined) t.headerLines.add(target.line);
    } else {
      if (error) t.rebuildBody = true;
      if (target.part !== undefined) {
        t.parts.add(target.part);
        if (error) t.errorParts.add(target.part);
      }
    }
    if (f.rule === 'html-without-mime' && target.depth === 'body' && target.part !== undefined)
      t.htmlParts.add(target.part);
    if (f.rule === 'invalid-message-id' && error) t.messageIdInvalid = true;
    if (f.rule === 'missing-mime-version') t.addMimeVersion = true;
  }
  return t;
}
