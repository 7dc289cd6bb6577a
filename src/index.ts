/**
 * mailhygiene: outgoing mail that other servers accept.
 *
 * @packageDocumentation
 */
export { compose, composeStream } from './compose.js';
export { MailHygieneError } from './errors.js';
export type { ErrorCode } from './errors.js';
export type * from './types.js';
export type { Options, DkimOptions, Policy } from './policy.js';
export { strict as strictPolicy, resolvePolicy } from './policy.js';
export { addressInputSchema, addressListSchema, attachmentSchema, messageInputSchema, optionsSchema } from './schema.js';
export { lint, rules } from './lint/index.js';
export type { LintOptions, RuleInfo } from './lint/index.js';
export { createMailer } from './mailer.js';
export type { Mailer, MailerOptions, MailerSendResult } from './mailer.js';
export {
  TransportError,
  fileTransport,
  memoryTransport,
  nodemailerTransport,
  sendmailTransport,
  smtpTransport,
} from './transport/index.js';
export type {
  FileTransportOptions,
  MemoryTransport,
  NodemailerTransportOptions,
  OutgoingMessage,
  SendResult,
  SendmailTransportOptions,
  SmtpTransportOptions,
  StoredMessage,
  Transport,
} from './transport/index.js';
export { dkimSign } from './dkim/sign.js';
export { doctor } from './doctor/index.js';
export type { DoctorOptions, DoctorReport, DoctorCheck } from './doctor/index.js';
