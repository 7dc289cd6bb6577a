/**
 * Field names a visitor must never set. A form that lets the request choose
 * recipients or headers is an open relay (FormMail's `recipient`), so these
 * are answered with FORM_FIELD instead of being silently ignored: the site
 * learns about the probe, the visitor gets a 400. Other unknown fields
 * (CSRF tokens, submit buttons) are ignored and never used.
 */

/** Names as listed (plus {@link PROTOTYPE_KEYS}); matching ignores case, `-`, `_` and other separators (`Reply-To`, `reply_to`, `BCC`). */
export const FORBIDDEN_FORM_FIELDS: readonly string[] = Object.freeze([
  'to',
  'cc',
  'bcc',
  'from',
  'sender',
  'replyTo',
  'recipient',
  'recipients',
  'rcpt',
  'mailTo',
  'sendTo',
  'emailTo',
  'headers',
  'header',
  'envelope',
  'envelopeFrom',
  'envelopeTo',
  'returnPath',
  'attachments',
  'attachment',
  'html',
  'messageId',
  'inReplyTo',
  'references',
  'listUnsubscribe',
]);

/** Prototype-pollution probes: no form has them. Matched exactly (`proto` is an ordinary name). */
const PROTOTYPE_KEYS: readonly string[] = Object.freeze(['__proto__', 'constructor', 'prototype']);

function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const NORMALISED = new Set(FORBIDDEN_FORM_FIELDS.map(normalise));

/**
 * True when `name` is (a spelling of) a forbidden field.
 *
 * @example
 * ```ts
 * isForbiddenFormField('Reply-To') // true
 * isForbiddenFormField('company')  // false
 * ```
 */
export function isForbiddenFormField(name: string): boolean {
  // Long keys cannot be any of the names; skip normalising them.
  if (PROTOTYPE_KEYS.includes(name)) return true;
  return name.length <= 40 && NORMALISED.has(normalise(name));
}
