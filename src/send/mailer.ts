/**
 * createMailer(): compose → (DKIM, inside compose) → transport. The mailer's
 * options are the defaults of every send; per-send overrides win.
 */

import type { MessageInput } from '../compose/index.js';
import {
  checkEnvelopeFromOption,
  compose,
  type Options,
  parseOptions,
  resolvePolicy,
} from '../compose/index.js';
import type { Envelope } from '../wire/index.js';
import { MailHygieneError, ownData } from '../wire/index.js';
import { closedError } from './error.js';
import type { SendResult, Transport } from './types.js';

export interface MailerOptions extends Options {
  transport: Transport;
}

/** What `send()` resolves with: the transport's result plus what was sent. */
export interface MailerSendResult extends SendResult {
  /** With angle brackets. */
  messageId: string;
  envelope: Envelope;
}

export interface Mailer {
  /** Composes `input` and hands it to the transport. Rejects without sending on any refusal. */
  send(input: MessageInput, overrides?: Options): Promise<MailerSendResult>;
  /**
   * Closes the transport (SMTP pools, …) and releases its sockets. Closed
   * means closed: a send after it, or one still composing, rejects with a
   * temporary `TransportError` (`field: 'closed'`), and so does mail still
   * queued in a pool; nothing opens a new connection.
   */
  close(): Promise<void>;
}

/**
 * @example
 * ```ts
 * const mailer = createMailer({
 *   transport: smtpTransport({ host: 'smtp.example.com', port: 587, requireTLS: true }),
 *   envelopeFrom: 'bounces@example.com',
 * })
 * const { messageId, accepted } = await mailer.send({
 *   from: 'Shop <shop@example.com>', to: 'erika@example.org', subject: 'Your order', text: '…',
 * })
 * ```
 */
export function createMailer(options: MailerOptions): Mailer {
  // Own data properties only (see ./own.ts); the transport itself is used as it is.
  const own = ownData(options, '', 'INVALID_OPTIONS', 0);
  if (own === null || typeof own !== 'object' || Object.getPrototypeOf(own) !== null) {
    throw new MailHygieneError('INVALID_OPTIONS', 'createMailer needs an options object', {
      field: 'options',
    });
  }
  const { transport, ...rest } = own as Partial<MailerOptions>;
  if (typeof transport?.send !== 'function') {
    throw new MailHygieneError('INVALID_OPTIONS', 'createMailer needs a transport', {
      field: 'transport',
    });
  }
  // Checked now, not on each send: a misspelled option or a bad bounce address fails at startup.
  const defaults = parseOptions(rest);
  checkEnvelopeFromOption(resolvePolicy(defaults));
  let closed = false;
  return {
    async send(input, overrides) {
      if (closed) throw closedError('the mailer');
      const options =
        overrides === undefined ? defaults : { ...defaults, ...parseOptions(overrides) };
      const composed = await compose(input, options);
      // close() may have run while this message was composed: it must not reopen the transport.
      if (closed) throw closedError('the mailer');
      const result = await transport.send({
        raw: composed.raw,
        envelope: composed.envelope,
        messageId: composed.messageId,
      });
      return { ...result, messageId: composed.messageId, envelope: composed.envelope };
    },
    async close() {
      closed = true;
      await transport.close?.();
    },
  };
}
