/**
 * The envelope of a repaired message. The sender is the given one when it can
 * receive bounces, else the configured bounce address; recipients are the
 * given ones, else To ∪ Cc ∪ Bcc of the message (Bcc is removed from the bytes),
 * or Resent-To ∪ Resent-Cc ∪ Resent-Bcc when the message is a resend.
 */

import type { Policy } from '../compose/index.js';
import {
  chooseReversePath,
  parseReversePath,
  resolveRecipients,
  resolveReversePath,
} from '../compose/index.js';
import type { Envelope, Mailbox } from '../wire/index.js';
import { isLocalDomain, MailHygieneError } from '../wire/index.js';

export interface EnvelopeInput {
  given: { from?: string; to?: string[] } | undefined;
  /** options.envelopeFrom was set. */
  configured: boolean;
  from: Mailbox;
  recipients: readonly Mailbox[];
  /**
   * Resent-To/Cc/Bcc mailboxes. When there are any, they are the recipients
   * instead of To/Cc/Bcc, as Postfix's `sendmail -t` takes them (a resend goes
   * to the new recipients, not again to the original ones).
   */
  resentRecipients?: readonly Mailbox[];
  /** Address of a removed Return-Path field. */
  returnPath: string | undefined;
}

/** Why `address` cannot receive bounces (not a reverse-path, or a local domain), or undefined. */
function unusable(address: string, policy: Policy): string | undefined {
  try {
    const mailbox = parseReversePath(address, 'envelope.from', policy);
    return isLocalDomain(mailbox.domain) ? `${mailbox.address} is a local address` : undefined;
  } catch (e) {
    if (e instanceof MailHygieneError) return e.message;
    throw e;
  }
}

/**
 * Derives the envelope. With an explicit envelope or a configured bounce
 * address the envelope is required, so its errors (INVALID_ENVELOPE_SENDER,
 * NO_RECIPIENTS, TOO_MANY_RECIPIENTS) are thrown; otherwise it is best effort
 * and undefined when the message names no usable sender or no recipient.
 */
export function repairEnvelope(input: EnvelopeInput, policy: Policy): Envelope | undefined {
  const e =
    input.resentRecipients !== undefined && input.resentRecipients.length > 0
      ? { ...input, recipients: input.resentRecipients }
      : input;
  const required = e.given !== undefined || e.configured;
  // Header recipients count against the limit even when the envelope is given.
  const unique = new Set(e.recipients.map((m) => m.address));
  if (unique.size > policy.maxRecipients) resolveRecipients(undefined, e.recipients, policy);
  if (!required) {
    if (unique.size === 0) return undefined;
    const hint =
      e.returnPath !== undefined && unusable(e.returnPath, policy) === undefined
        ? e.returnPath
        : undefined;
    if (hint === undefined && isLocalDomain(e.from.domain)) return undefined;
    return {
      from: hint ?? e.from.address,
      to: resolveRecipients(undefined, e.recipients, policy),
    };
  }
  const givenFrom = e.given?.from;
  // With a configured bounce address, a given sender that cannot receive bounces is replaced
  // (the shared decision); without one, the given sender is checked and refused when unusable.
  let explicit = givenFrom;
  if (e.configured && givenFrom !== undefined) {
    const choice = chooseReversePath(givenFrom, policy.envelopeFrom!, (a) => unusable(a, policy));
    // Replaced: resolveReversePath() below takes the configured address itself.
    if (choice.replaced) explicit = undefined;
  }
  return {
    from: resolveReversePath(explicit, e.from, policy),
    to: resolveRecipients(e.given?.to, e.recipients, policy),
  };
}
