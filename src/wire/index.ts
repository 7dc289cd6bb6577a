/**
 * The wire floor: what goes on the wire and how it is written. Errors and
 * named limits, addresses, header values (RFC 2047 words, folding, RFC 2231
 * parameters), body codecs (quoted-printable, base64, HTML to text) and the
 * MIME tree with its renderer. Imports nothing of ours.
 *
 * Other floors import from this file only; see docs/ARCHITECTURE.md.
 */

export { isHostname, isLocalDomain } from './address/domain.js';
export type { Mailbox } from './address/mailbox.js';
export {
  organizationalDomain,
  registrableDomain,
  sameOrganizationalDomain,
} from './address/org-domain.js';
export { parseAddrSpec, parseMailbox } from './address/parse.js';
export type { AddressInput, AddressList, Envelope } from './address/types.js';

export { encodeTextInput } from './body/cte.js';
export { textToBytes, toCrlf } from './body/text.js';
export {
  blankQuotedStrings,
  commentEnd,
  findTopLevel,
  isCfws,
  skipCfws,
  stripComments,
} from './cfws.js';
export type { ErrorCode, TransportErrorCode } from './errors.js';
export { formatCodePoint, MailHygieneError, TransportError } from './errors.js';
export type { AddressGroup } from './header/address-list.js';
export { renderAddresses, renderAddressList } from './header/address-list.js';
export { checkMessageDate, formatDate } from './header/date.js';
export { checkCustomHeaderName } from './header/field-name.js';
export { HeaderBuilder } from './header/fold.js';
export { generateMessageId, parseMessageId } from './header/message-id.js';
export { assertSingleLine, findUnsafeCodePoint } from './header/single-line.js';
export { renderUnstructured } from './header/unstructured.js';
export { importLazily, loadLazily } from './lazy-load.js';
// Every limit, each with its reason (limits.ts); all of them are for the floors above.
export * from './limits.js';
export {
  binaryPart,
  encodedTextPart,
  multipart,
  renderParam,
  renderParamHeader,
  textPart,
} from './mime/parts.js';
export type { Chunk, WireShape } from './mime/render.js';
export {
  chunksToBuffer,
  chunksToBufferSync,
  chunksToIterable,
  encodeInMemory,
  isStreamed,
  renderChunks,
  wireShape,
} from './mime/render.js';
export type { LeafPart, MimeNode, MultipartNode } from './mime/tree.js';
export { hasStreamedBody } from './mime/tree.js';
export type { WireCheck } from './mime/verify.js';
export { verifyWire } from './mime/verify.js';
export { ownData } from './own.js';
export { describeUnknownName } from './suggest.js';
