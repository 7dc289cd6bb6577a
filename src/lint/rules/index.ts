/** The rule catalogue, in the order of docs/HYGIENE-RULES.md. */
import type { Rule } from '../context.js';
import type { RuleId } from '../rule-ids.js';
import { addressRules } from './addresses.js';
import { autoListRules } from './auto-list.js';
import { contentRules } from './content.js';
import { encodingRules } from './encoding.js';
import { framingRules } from './framing.js';
import { legacyRules } from './legacy.js';
import { mimeRules } from './mime.js';
import { requiredHeaderRules } from './required-headers.js';

export const allRules: readonly Rule[] = Object.freeze([
  ...framingRules,
  ...requiredHeaderRules,
  ...encodingRules,
  ...addressRules,
  ...mimeRules,
  ...contentRules,
  ...autoListRules,
  ...legacyRules,
]);

/**
 * The rules the composer's self-check runs on every message it builds: every
 * rule that can report an error (the self-check refuses a message only on
 * errors, so warning- and info-only rules cannot change its outcome). They are
 * the composer's invariants: framing (bare CR/LF, NUL, line length, header
 * syntax and folding), 8-bit and encoded-words in headers, addresses, MIME
 * structure, CTE and charset of every part, singleton headers. Same rule code
 * as `lint()`; only the selection differs. A rule added with an error case
 * must be added here (test/lint/self-check-rules.test.ts checks the primary
 * severities).
 */
export const SELF_CHECK_RULES: readonly RuleId[] = Object.freeze([
  // A: framing
  'bare-cr-or-lf',
  'nul-byte',
  'line-too-long',
  'header-control-chars',
  'header-name-invalid',
  'header-folding-invalid',
  'missing-header-body-separator',
  // B: required headers
  'missing-from',
  'missing-date',
  'invalid-date',
  'invalid-message-id',
  'duplicate-singleton-header',
  'multiple-from-without-sender',
  // C: header encoding
  'subject-needs-encoding',
  'header-8bit-without-smtputf8',
  'encoded-word-syntax',
  'encoded-word-forbidden-context',
  'encoded-word-unsafe-content',
  // D: addresses
  'from-invalid',
  'recipient-header-invalid',
  'display-name-unquoted-specials',
  'address-length-exceeded',
  'non-ascii-address-without-smtputf8',
  'envelope-sender-unroutable',
  // E: MIME and content
  'missing-mime-version',
  'mime-version-invalid',
  'missing-charset', // error when an 8-bit text part has no charset
  'charset-mismatch',
  'cte-7bit-with-8bit-data',
  'cte-invalid',
  'encoded-line-syntax',
  'content-type-malformed',
  'boundary-invalid',
  'html-without-mime',
  'attachment-filename-unsafe',
  // F: lists
  'list-unsubscribe', // error when the field is malformed
  'one-click-unsubscribe-invalid',
]);

/** {@link SELF_CHECK_RULES} as rule objects, in catalogue order (selected once, not per message). */
export const selfCheckRules: readonly Rule[] = Object.freeze(
  allRules.filter((r) => SELF_CHECK_RULES.includes(r.id)),
);
