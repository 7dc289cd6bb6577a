/**
 * createMailer(): compose → (DKIM, inside compose) → transport. The mailer's
 * options are the defaults of every send; per-send overrides win.
 */

import type { ComposedMessage, MessageInput } from '../compose/index.js';
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
  /**
   * Composes `input` and hands it to the transport. Rejects without sending on any refusal.
   * The same as `sendComposed(await compose(input, overrides))`.
   */
  send(input: MessageInput, overrides?: Options): Promise<MailerSendResult>;
  /**
   * Composes `input` with this mailer's options (and `overrides`) without sending:
   * exactly the message `send()` would hand to the transport, DKIM signature included.
   */
  compose(input: MessageInput, overrides?: Options): Promise<ComposedMessage>;
  /**
   * Hands an already composed message to the transport as it is: its bytes, envelope
   * and Message-ID, nothing composed again. For a caller that needs the message
   * before it goes out (to log or store it, as contactForm does).
   *
   * @example
   * ```ts
   * const message = await mailer.compose(input)
   * await archive(message.raw)
   * const { accepted } = await mailer.sendComposed(message)
   * ```
   */
  sendComposed(message: ComposedMessage): Promise<MailerSendResult>;
  /**
   * Closes the transport (SMTP pools, …) and releases its sockets. Closed
   * means closed: a send after it, or one still composing, rejects with a
   * temporary `TransportError` (`field: 'closed'`), and so does mail still
   * queued in a pool; nothing opens a new connection.
   */
  close(): Promise<void>;
}

/**
 * A caller's composed message read as own data (see wire/own.ts), with the
 * shape checked; the transport checks the envelope's addresses itself.
 */
function ownComposed(message: unknown): ComposedMessage {
  const m = ownData(message, 'message', 'INVALID_INPUT', 2) as Partial<ComposedMessage> | null;
  if (
    m === null ||
    typeof m !== 'object' ||
    !(m.raw instanceof Uint8Array) ||
    typeof m.envelope !== 'object' ||
    m.envelope === null ||
    typeof m.messageId !== 'string'
  ) {
    throw new MailHygieneError(
      'INVALID_INPUT',
      'sendComposed needs a composed message { raw, envelope, messageId }, as compose() returns it',
      { field: 'message' },
    );
  }
  return m as ComposedMessage;
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
  const composeWith = (input: MessageInput, overrides: Options | undefined) =>
    compose(
      input,
      overrides === undefined ? defaults : { ...defaults, ...parseOptions(overrides) },
    );
  async function handOver(message: ComposedMessage): Promise<MailerSendResult> {
    // close() may have run while this message was composed: it must not reopen the transport.
    if (closed) throw closedError('the mailer');
    const result = await transport!.send({
      raw: message.raw,
      envelope: message.envelope,
      messageId: message.messageId,
    });
    return { ...result, messageId: message.messageId, envelope: message.envelope };
  }
  return {
    async send(input, overrides) {
      if (closed) throw closedError('the mailer');
      return handOver(await composeWith(input, overrides));
    },
    compose: composeWith,
    async sendComposed(message) {
      return handOver(ownComposed(message));
    },
    async close() {
      closed = true;
      await transport.close?.();
    },
  };
}
