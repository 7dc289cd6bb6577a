/** What lint() reports: findings are data; only the CLI turns them into text. */

import type { RuleId } from './rule-ids.js';

export type Severity = 'error' | 'warning' | 'info';

/**
 * Where a finding points. Line numbers count the message's lines from 1 (the
 * whole message, not the part). `formatLocation()` writes it as text.
 *
 * - `{ part: '', header: 'Subject', line: 3 }`: a header field (`header Subject (line 3)`)
 * - `{ part: '1.2', header: 'Content-Type', line: 40 }`: a part's field
 * - `{ part: '' }`, `{ part: '1.2' }`: a whole part (`message`, `part 1.2`)
 * - `{ part: '', area: 'header' }`: the message's header block
 * - `{ part: '1.2', area: 'header', line: 40 }`: a line of a header block that is not a field
 * - `{ part: '', area: 'body' }`: a part's body
 * - `{ part: '', line: 7 }`: a line of the raw message, in whichever part it falls
 * - `{ part: '', area: 'envelope' }`: the SMTP envelope, not the message
 */
export interface FindingLocation {
  /** MIME part path: '' is the message itself, '1.2' the second child of its first child. */
  part: string;
  /** A region of the part, when the finding is about neither one field nor one raw line. */
  area?: 'header' | 'body' | 'envelope';
  /** Field name as written in the message. */
  header?: string;
  /** 1-based line of the message: the field's first line, or the line at fault. */
  line?: number;
}

/** One lint finding. `rule` is a stable id from HYGIENE-RULES.md. */
export interface Finding {
  rule: RuleId;
  severity: Severity;
  message: string;
  /** Where: a header field, a MIME part, a line, the envelope. */
  location?: FindingLocation;
}

export interface LintReport {
  findings: Finding[];
  errors: number;
  warnings: number;
}

/**
 * A location as text: `header From (line 3)`, `part 1.2 header Content-Type (line 40)`,
 * `part 1.2`, `message`, `header block`, `message line 9`, `line 7`, `message body`,
 * `envelope`. The CLI and error messages print this; programs read the object.
 */
export function formatLocation(location: FindingLocation): string {
  const { part, area, header, line } = location;
  if (area === 'envelope') return 'envelope';
  const label = part === '' ? 'message' : `part ${part}`;
  if (header !== undefined) {
    const field = `header ${header}${line === undefined ? '' : ` (line ${line})`}`;
    return part === '' ? field : `${label} ${field}`;
  }
  if (area === 'header') {
    if (line !== undefined) return `${label} line ${line}`;
    return part === '' ? 'header block' : `${label} header block`;
  }
  // A part's label already names its body; the message's needs the word.
  if (area === 'body') return part === '' ? 'message body' : label;
  if (line !== undefined) return part === '' ? `line ${line}` : `${label} line ${line}`;
  return label;
}
