/**
 * The compose floor: typed input to exact bytes. Schema, policy, build
 * (input to MIME tree), envelope, self-check and DKIM. Imports lint, read
 * and wire.
 *
 * Other floors import from this file only; see docs/ARCHITECTURE.md.
 */
export { parseAttachmentFilename } from './attachment.js';
export { compose, composeStream } from './compose.js';
export { alignedRelaxed, alignedStrict } from './dkim/align.js';
export { bodyHash, createBodyHasher } from './dkim/body-hash.js';
export { buildDkimSignatureHeader, dkimSign } from './dkim/sign.js';
export type { SenderChoice } from './envelope.js';
export {
  assertShellSafeSender,
  checkEnvelopeFromOption,
  chooseReversePath,
  parseReversePath,
  resolveRecipients,
  resolveReversePath,
} from './envelope.js';
export type { DkimOptions, Options, Policy } from './policy.js';
export { resolvePolicy, strict } from './policy.js';
export {
  addressInputSchema,
  addressListSchema,
  attachmentSchema,
  messageInputSchema,
  optionsSchema,
  parseOptions,
} from './schema.js';
export type {
  AttachmentInput,
  ComposedMessage,
  ComposedStream,
  ListUnsubscribeInput,
  MessageInput,
} from './types.js';
