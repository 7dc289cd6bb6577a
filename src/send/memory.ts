/**
 * Keeps sent messages in memory, for tests of code that sends mail. It applies
 * the same envelope and Bcc checks as the real transports, so a test fails
 * where production would.
 */

import type { Envelope } from '../wire/index.js';
import { assertEnvelope, type EnvelopeCheckOptions } from './argv.js';
import { guardRaw, toBuffer } from './raw-guard.js';
import type { OutgoingMessage, SendResult, Transport } from './types.js';

export interface StoredMessage {
  raw: Buffer;
  envelope: Envelope;
  messageId?: string;
}

export interface MemoryTransport extends Transport {
  /** Every message sent so far, oldest first. */
  readonly messages: StoredMessage[];
  /** Forgets all messages. */
  clear(): void;
}

/**
 * @example
 * ```ts
 * const transport = memoryTransport()
 * await createMailer({ transport }).send(input)
 * expect(transport.messages[0].envelope.to).toEqual(['erika@example.com'])
 * ```
 */
export function memoryTransport(options: EnvelopeCheckOptions = {}): MemoryTransport {
  const messages: StoredMessage[] = [];
  const checkOptions = { smtputf8: options.smtputf8 ?? false };
  return {
    name: 'memory',
    messages,
    clear() {
      messages.length = 0;
    },
    async send(msg: OutgoingMessage): Promise<SendResult> {
      assertEnvelope(msg.envelope, checkOptions);
      const raw = await toBuffer(await guardRaw(msg.raw));
      const stored: StoredMessage = {
        // A copy: later changes to the caller's Buffer must not change what was "sent".
        raw: Buffer.from(raw),
        envelope: { from: msg.envelope.from, to: [...msg.envelope.to] },
      };
      if (msg.messageId !== undefined) stored.messageId = msg.messageId;
      messages.push(stored);
      return {
        accepted: [...msg.envelope.to],
        rejected: [],
        response: `stored #${messages.length}`,
      };
    },
  };
}
