/**
 * What repair acts on, and the `applied` list: each lint finding of the
 * original that the repaired bytes no longer have, reported with what was done.
 */
import type { Finding } from '../types.js';

/** Rule ids repair fixes, with what it does about them. */
export const ACTIONS: Readonly<Record<string, string>> = {
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
  'envelope-sender-unroutable': 'envelope sender replaced by the bounce address',
  'header-envelope-misaligned': 'envelope sender replaced by the bounce address',
};

/** Info findings repair acts on: filters score them or parsers report them as defects. */
const INFO_ACTED_ON = new Set([
  'needless-encoding',
  'php-mail-fingerprint',
  'encoded-word-forbidden-context',
]);

/** True when the finding makes repair rebuild the message. */
export function actionable(f: Finding): boolean {
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

/** `header From (line 3)` → 3 for top-level header findings. */
function headerLine(f: Finding): number | undefined {
  const m = f.location === undefined ? null : /^header \S+ \(line (\d+)\)$/.exec(f.location);
  return m ? Number(m[1]) : undefined;
}

/** `part 1.2 header Content-Type (line 9)` or `part 1.2 …` → `1.2`: any finding inside a body part. */
function partOf(f: Finding): string | undefined {
  const m = f.location === undefined ? null : /^part ([\d.]+)/.exec(f.location);
  return m ? m[1] : undefined;
}

/** `part 1.2` / `message` → MIME path ('' for the message). */
function partPath(f: Finding): string | undefined {
  if (f.location === 'message') return '';
  const m = f.location === undefined ? null : /^part ([\d.]+)$/.exec(f.location);
  return m ? m[1] : undefined;
}

/** Where the original's findings point: what the rebuild re-renders instead of passing through. */
export interface FindingTargets {
  /** Lines of top-level fields with a warning or error (or needless encoding). */
  headerLines: Set<number>;
  /** Paths of body parts with any finding. */
  parts: Set<string>;
  /** Paths of text/plain parts that hold HTML. */
  htmlParts: Set<string>;
  /** The Message-ID is malformed (an error, not a style warning). */
  messageIdInvalid: boolean;
}

/** Maps lint findings to the header lines and MIME parts they are about. */
export function findingTargets(findings: readonly Finding[]): FindingTargets {
  const t: FindingTargets = {
    headerLines: new Set(),
    parts: new Set(),
    htmlParts: new Set(),
    messageIdInvalid: false,
  };
  for (const f of findings) {
    const line = headerLine(f);
    if (line !== undefined && (f.severity !== 'info' || f.rule === 'needless-encoding')) {
      t.headerLines.add(line);
    }
    const part = partOf(f);
    if (part !== undefined) t.parts.add(part);
    if (f.rule === 'html-without-mime') {
      const path = partPath(f);
      if (path !== undefined) t.htmlParts.add(path);
    }
    if (f.rule === 'invalid-message-id' && f.severity === 'error') t.messageIdInvalid = true;
  }
  return t;
}
