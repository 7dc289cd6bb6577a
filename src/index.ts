/**
 * mailhygiene: outgoing mail that other servers accept.
 *
 * @packageDocumentation
 */
export { compose, composeStream } from './compose.js';
export { bodyHash, createBodyHasher } from './dkim/body-hash.js';
export { buildDkimSignatureHeader, dkimSign } from './dkim/sign.js';
export type {
  CheckStatus,
  DnsLike,
  DoctorCheck,
  DoctorOptions,
  DoctorReport,
  ResolverOptions,
} from './doctor/index.js';
export { doctor, formatReport as formatDoctorReport } from './doctor/index.js';
export type { ErrorCode } from './errors.js';
export { MailHygieneError } from './errors.js';
export type {
  ContactData,
  ContactForm,
  ContactFormConfig,
  ContactFormError,
  ContactFormErrorCode,
  ContactFormResult,
  ContactMailer,
} from './form/index.js';
export {
  checkVisitorAddress,
  contactEmailSchema,
  contactForm,
  contactMessageSchema,
  contactNameSchema,
  contactSubjectSchema,
  DEFAULT_MAX_LENGTH,
  FORBIDDEN_FORM_FIELDS,
  isForbiddenFormField,
} from './form/index.js';
export type { LintOptions, RuleInfo } from './lint/index.js';
export { lint, rules } from './lint/index.js';
export type { Mailer, MailerOptions, MailerSendResult } from './mailer.js';
export { createMailer } from './mailer.js';
export type { DkimOptions, Options, Policy } from './policy.js';
export { resolvePolicy, strict as strictPolicy } from './policy.js';
export type { RepairOptions, RepairResult } from './repair.js';
export { repair } from './repair.js';
export {
  addressInputSchema,
  addressListSchema,
  attachmentSchema,
  messageInputSchema,
  optionsSchema,
} from './schema.js';
export type {
  FileTransportOptions,
  FileTransportRecord,
  MemoryTransport,
  NodemailerLikeTransporter,
  NodemailerTransportOptions,
  OutgoingMessage,
  SendmailTransportOptions,
  SendResult,
  SmtpTransportOptions,
  StoredMessage,
  Transport,
} from './transport/index.js';
export {
  fileTransport,
  memoryTransport,
  nodemailerTransport,
  sendmailTransport,
  smtpTransport,
  TransportError,
} from './transport/index.js';
export type * from './types.js';
