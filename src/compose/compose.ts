/**
 * compose() and composeStream(): typed, checked input → RFC 5322/MIME bytes
 * plus the SMTP envelope.
 */
import { Readable } from 'node:stream';
import type { Envelope } from '../wire/index.js';
import {
  type Chunk,
  chunksToBuffer,
  chunksToBufferSync,
  chunksToIterable,
  encodeInMemory,
  hasStreamedBody,
  importLazily,
  isStreamed,
  renderChunks,
  type WireShape,
  wireShape,
} from '../wire/index.js';
import { buildMessage, needsTextFromHtml } from './build.js';
import { dkimSign } from './dkim/sign.js';
import { resolveRecipients, resolveReversePath } from './envelope.js';
import { type Options, type Policy, resolvePolicy } from './policy.js';
import { parseMessageInput, parseOptions } from './schema.js';
import { selfCheck } from './self-check.js';
import type { ComposedMessage, ComposedStream, MessageInput } from './types.js';

interface Prepared {
  policy: Policy;
  chunks: Chunk[];
  /** What the chunks hold on the wire, for the self-check. */
  shape: WireShape;
  streamed: boolean;
  envelope: Envelope;
  messageId: string;
  fromDomain: string;
}

async function prepare(input: MessageInput, options: Options | undefined): Promise<Prepared> {
  const policy = resolvePolicy(parseOptions(options));
  const msg = parseMessageInput(input);
  const convert = needsTextFromHtml(msg, policy)
    ? (
        await importLazily(
          'the HTML-to-text converter',
          () => import('../wire/body/html-to-text.js'),
        )
      ).htmlToText
    : undefined;
  const built = buildMessage(msg, policy, convert);
  const envelope: Envelope = {
    from: resolveReversePath(msg.envelope?.from, built.from, policy),
    to: resolveRecipients(msg.envelope?.to, built.recipients, policy),
  };
  return {
    policy,
    chunks: renderChunks(built.root, built.headers),
    shape: wireShape(built.root, built.headers),
    streamed: hasStreamedBody(built.root),
    envelope,
    messageId: built.messageId,
    fromDomain: built.from.domain,
  };
}

/**
 * Builds a message. Hostile or malformed input throws a {@link MailHygieneError}
 * with `code` and `field`; nothing is silently stripped.
 *
 * @example
 * ```ts
 * const { raw, envelope, messageId } = await compose({
 *   from: 'Shop <shop@example.com>',
 *   to: 'Erika Mustermann <erika@example.org>',
 *   subject: 'Ihre Bestellung ist unterwegs',
 *   html: '<p>Grüße aus <b>Köln</b></p>',
 * }, { envelopeFrom: 'bounces@example.com' });
 * ```
 */
export async function compose(input: MessageInput, options?: Options): Promise<ComposedMessage> {
  return finishInMemory(await prepare(input, options));
}

/** A prepared message as one buffer: checked, then signed when DKIM is configured. */
async function finishInMemory(p: Prepared): Promise<ComposedMessage> {
  let raw = p.streamed ? await chunksToBuffer(p.chunks) : chunksToBufferSync(p.chunks);
  if (p.policy.selfCheck) selfCheck(raw, p.policy, p.shape);
  if (p.policy.dkim.length) raw = dkimSign(raw, p.policy.dkim, p.fromDomain, { now: p.policy.now });
  return { raw, envelope: p.envelope, messageId: p.messageId };
}

/** A placeholder standing in for streamed bodies in the self-check. */
const PLACEHOLDER = Buffer.from('AAAA');

/**
 * Like {@link compose}, but returns a Readable: attachments given as streams are
 * read while the message is read, never held in memory. With DKIM the body must
 * be hashed before the first byte goes out, so the message is buffered once.
 */
export async function composeStream(
  input: MessageInput,
  options?: Options,
): Promise<ComposedStream> {
  const p = await prepare(input, options);
  if (p.policy.dkim.length) {
    // The same prepared message, buffered: preparing again would build (and draw a Message-ID) twice.
    const { raw, envelope, messageId } = await finishInMemory(p);
    return { stream: Readable.from([raw]), envelope, messageId };
  }
  if (!p.streamed) {
    // All in memory: one exact buffer, checked byte for byte, sent as it is.
    const raw = chunksToBufferSync(p.chunks);
    if (p.policy.selfCheck) selfCheck(raw, p.policy, p.shape);
    const stream = Readable.from([raw], { objectMode: false });
    return { stream, envelope: p.envelope, messageId: p.messageId };
  }
  // Attachments in memory are encoded now and checked; streamed ones are encoded as they are read.
  const chunks = encodeInMemory(p.chunks);
  if (p.policy.selfCheck) {
    selfCheck(
      chunksToBufferSync(chunks.map((c) => (isStreamed(c) ? PLACEHOLDER : c))),
      p.policy,
      p.shape,
    );
  }
  return {
    stream: Readable.from(chunksToIterable(chunks), { objectMode: false }),
    envelope: p.envelope,
    messageId: p.messageId,
  };
}
