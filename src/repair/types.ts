/** Options and result of `repair()`. */

import type { Finding } from '../lint/index.js';
import type { Envelope } from '../wire/index.js';

export interface RepairOptions {
  /** Bounce address: replaces a missing, local or unqualified envelope sender. */
  envelopeFrom?: string;
  /**
   * The envelope the message came with (sendmail -f and the recipients given on
   * the command line). `to` replaces To ∪ Cc ∪ Bcc of the message.
   */
  envelope?: { from?: string; to?: string[] };
  /**
   * Without `envelope`: the envelope to repair with when the message's header
   * fields name no recipient, instead of refusing it with NO_RECIPIENTS (as
   * sendmail -t does when recipients are also given as arguments).
   */
  envelopeIfNoRecipients?: { from?: string; to: string[] };
  /** Charset of 8-bit text that is not valid UTF-8. Default `windows-1252`. */
  legacyCharset?: string;
  /** Refuse more recipients than this. Default 100. */
  maxRecipients?: number;
  /** From used when the message has none (`'Shop <shop@example.com>'`). */
  defaultFrom?: string;
  /** Clock for a missing Date (and the date-skew rule). */
  now?: () => Date;
  /** Domain of generated Message-IDs; default the From domain. */
  messageIdDomain?: string;
}

export interface RepairResult {
  /** The repaired message (the input bytes unchanged when nothing needed repair). */
  raw: Buffer;
  /** The SMTP envelope, when one could be derived (always when `envelope`/`envelopeFrom` was given). */
  envelope?: Envelope;
  /** One finding per change: the lint rule it fixes and what was done. */
  applied: Finding[];
  /**
   * The Message-ID of `raw` as written, with angle brackets (`<id@example.com>`),
   * unfolded and trimmed: the kept, rewritten or generated one. Absent only when
   * the returned message has no Message-ID field. For logs and transports, so
   * callers need not parse `raw` again.
   */
  messageId?: string;
}
