/**
 * One policy object holds every choice the library makes (as Python's
 * `email.policy` does). Public options are resolved into a frozen Policy once;
 * modules read the Policy, never raw options.
 */
import { MailHygieneError } from '../wire/index.js';

export interface DkimOptions {
  domainName: string;
  keySelector: string;
  /** PEM (PKCS#8 / PKCS#1) or a `KeyObject`. */
  privateKey: string | import('node:crypto').KeyObject;
  algorithm?: 'rsa-sha256' | 'ed25519-sha256';
  /** Extra header names to sign. */
  headers?: string[];
  /** Sign even when `d=` does not align with the From domain. */
  allowUnaligned?: boolean;
}

/** Options of `compose()`, `createMailer()` and friends. All optional. */
export interface Options {
  /** Bounce address used when the message gives none, or replaces a local/unqualified one. */
  envelopeFrom?: string;
  /** Domain for generated Message-IDs; defaults to the From domain. */
  messageIdDomain?: string;
  /** Allow non-ASCII local parts (RFC 6531/6532). Default false. */
  smtputf8?: boolean;
  /** Refuse more envelope recipients than this. Default 100 (RFC 5321 §4.5.3.1.8). */
  maxRecipients?: number;
  /** Generate a text/plain alternative from HTML when no text is given. Default true. */
  textFromHtml?: boolean;
  /**
   * Check the exact output bytes before returning. Default true: the wire
   * verifier (one pass, no body decoded); `'full'` also runs lint's error
   * rules on them; false skips the check.
   */
  selfCheck?: boolean | 'full';
  /** DKIM signature(s) to add. */
  dkim?: DkimOptions | DkimOptions[];
  /** Clock, for tests and reproducible output. */
  now?: () => Date;
}

export interface Policy {
  readonly envelopeFrom: string | undefined;
  readonly messageIdDomain: string | undefined;
  readonly smtputf8: boolean;
  readonly maxRecipients: number;
  readonly textFromHtml: boolean;
  readonly selfCheck: boolean | 'full';
  readonly dkim: readonly DkimOptions[];
  readonly now: () => Date;
}

/** For new mail: the default. */
export const strict: Policy = Object.freeze({
  envelopeFrom: undefined,
  messageIdDomain: undefined,
  smtputf8: false,
  maxRecipients: 100,
  textFromHtml: true,
  selfCheck: true,
  dkim: Object.freeze([]) as readonly DkimOptions[],
  now: () => new Date(),
});

/** Resolves public options over a preset. Bad option values are a typed error. */
export function resolvePolicy(options: Options = {}, base: Policy = strict): Policy {
  if (options === null || typeof options !== 'object') {
    throw new MailHygieneError('INVALID_OPTIONS', 'options must be an object', {
      field: 'options',
    });
  }
  const maxRecipients = options.maxRecipients ?? base.maxRecipients;
  if (!Number.isInteger(maxRecipients) || maxRecipients < 1) {
    throw new MailHygieneError('INVALID_OPTIONS', 'maxRecipients must be a positive integer', {
      field: 'maxRecipients',
    });
  }
  const dkim =
    options.dkim === undefined
      ? base.dkim
      : Array.isArray(options.dkim)
        ? options.dkim
        : [options.dkim];
  return Object.freeze({
    ...base,
    envelopeFrom: options.envelopeFrom ?? base.envelopeFrom,
    messageIdDomain: options.messageIdDomain ?? base.messageIdDomain,
    smtputf8: options.smtputf8 ?? base.smtputf8,
    maxRecipients,
    textFromHtml: options.textFromHtml ?? base.textFromHtml,
    selfCheck: options.selfCheck ?? base.selfCheck,
    dkim: Object.freeze([...dkim]),
    now: options.now ?? base.now,
  });
}
