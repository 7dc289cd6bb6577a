/**
 * Every lint rule id, once, in the order of docs/HYGIENE-RULES.md. `RuleId` is
 * derived from this list, so a misspelt id in a rule, a rule selection or
 * repair's action table is a type error (test/lint/rule-ids.test.ts checks
 * the list against the catalogue and the registered rules).
 */
export const RULE_IDS = Object.freeze([
  // A: message framing and line syntax
  'bare-cr-or-lf',
  'nul-byte',
  'line-too-long',
  'header-control-chars',
  'header-name-invalid',
  'header-folding-invalid',
  'missing-header-body-separator',
  // B: required and singleton header fields
  'missing-from',
  'missing-date',
  'invalid-date',
  'date-skew',
  'missing-message-id',
  'invalid-message-id',
  'duplicate-singleton-header',
  'multiple-from-without-sender',
  'missing-to',
  'missing-or-empty-subject',
  'bcc-header-leak',
  'return-path-header-present',
  // C: header encoding (RFC 2047 / RFC 6532)
  'subject-needs-encoding',
  'header-8bit-without-smtputf8',
  'encoded-word-syntax',
  'encoded-word-forbidden-context',
  'encoded-word-unsafe-content',
  'encoded-word-adjacency',
  'needless-encoding',
  // D: addresses
  'from-invalid',
  'recipient-header-invalid',
  'display-name-unquoted-specials',
  'display-name-contains-address',
  'address-length-exceeded',
  'non-ascii-address-without-smtputf8',
  'confusable-or-obscured-unicode',
  'quoted-local-part',
  'from-domain-not-authorized',
  'reply-to-equals-to',
  'header-envelope-misaligned',
  'envelope-sender-unroutable',
  // E: mIME structure, charsets and transfer encodings
  'missing-mime-version',
  'mime-version-invalid',
  'missing-charset',
  'charset-mismatch',
  'charset-unknown-or-utf7',
  'charset-c1-controls',
  'cte-7bit-with-8bit-data',
  'cte-invalid',
  'encoded-line-syntax',
  'needless-base64-text',
  'content-type-malformed',
  'boundary-invalid',
  'html-only',
  'html-without-mime',
  'alternative-structure',
  'alternative-parts-differ',
  'html-in-subject',
  'empty-body',
  'attachment-missing-disposition',
  'attachment-filename-unsafe',
  'format-flowed-invalid',
  // F: automatic, bulk and list mail
  'auto-submitted-missing',
  'autoreply-loop-risk',
  'list-unsubscribe',
  'one-click-unsubscribe-invalid',
  // G: authentication — `dkim-header-coverage` is documented but checked by doctor, not lint
  // H: legacy-application fingerprints and content style
  'php-mail-fingerprint',
  'unresolved-template',
  'subject-style',
  'recipient-count-high',
  'mdn-request-malformed',
] as const);

/** A stable rule id from docs/HYGIENE-RULES.md. */
export type RuleId = (typeof RULE_IDS)[number];

const KNOWN: ReadonlySet<string> = new Set(RULE_IDS);

/** True when `id` names a rule (for ids that come from outside, e.g. `--rule`). */
export function isRuleId(id: string): id is RuleId {
  return KNOWN.has(id);
}
