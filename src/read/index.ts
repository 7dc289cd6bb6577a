/**
 * The read floor: the one parsed-message model for foreign bytes. Header
 * block and MIME tree with byte offsets, CTE and charset decoding,
 * encoded-words, RFC 2231 parameters, address lists, dates. Imports only
 * wire.
 *
 * Other floors import from this file only; see docs/ARCHITECTURE.md.
 */

export type { AddressListResult, AddressProblem, LintMailbox } from './address-list.js';
export { parseAddressList } from './address-list.js';
export {
  c1Sibling,
  indexOfC1,
  indexOfStrictMismatch,
  isUnicodeCharset,
  legacyCharsetProblem,
  replaceC1,
  resolveCharset,
  strictReading,
  wordCharset,
} from './charset.js';
export { checkDate } from './date.js';
export type { DecodedText } from './decode.js';
export {
  BAD_CHARSETS,
  decodeCharset,
  has8bit,
  has8bitString,
  headerText,
  isKnownCharset,
  isValidUtf8,
} from './decode.js';
export type { EncodedWord, WordProblem } from './encoded-words.js';
export { decodeWords, findEncodedWords } from './encoded-words.js';
export { type LineShape, PartFacts, partFacts } from './facts.js';
export type { ParamProblem } from './mime-params.js';
export { parseParams } from './mime-params.js';
export type { HeaderField, MimePart, ParsedMessage } from './parse.js';
export {
  bodyBytes,
  bodyText,
  decodedBody,
  leaves,
  lineOf,
  parseHeaderSection,
  parseMessage,
  unfold,
} from './parse.js';
