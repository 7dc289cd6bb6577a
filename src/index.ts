/**
 * mailhygiene: outgoing mail that other servers accept.
 *
 * @packageDocumentation
 */
export { compose, composeStream } from './compose/compose.js';
export { bodyHash, createBodyHasher } from './compose/dkim/body-hash.js';
export { buildDkimSignatureHeader, dkimSign } from './compose/dkim/sign.js';
export type { DkimOptions, Options, Policy } from './compose/policy.js';
export { resolvePolicy, strict as strictPolicy } from './compose/policy.js';
export {
  addressInputSchema,
  addressListSchema,
  attachmentSchema,
  messageInputSchema,
  optionsSchema,
} from './compose/schema.js';
export type * from './compose/types.js';
export type { LintOptions, RuleInfo } from './lint/index.js';
export { lint, rules } from './lint/index.js';
export type { RepairOptions, RepairResult } from './repair/repair.js';
export { repair } from './repair/repair.js';
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
} from './send/index.js';
export {
  fileTransport,
  memoryTransport,
  nodemailerTransport,
  sendmailTransport,
  smtpTransport,
  TransportError,
} from './send/index.js';
export type { Mailer, MailerOptions, MailerSendResult } from './send/mailer.js';
export { createMailer } from './send/mailer.js';
export type {
  CheckStatus,
  DnsLike,
  DoctorCheck,
  DoctorOptions,
  DoctorReport,
  ResolverOptions,
} from './tools/doctor/index.js';
export { doctor, formatReport as formatDoctorReport } from './tools/doctor/index.js';
export type {
  ContactData,
  ContactForm,
  ContactFormConfig,
  ContactFormError,
  ContactFormErrorCode,
  ContactFormResult,
  ContactMailer,
} from './tools/form/index.js';
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
} from './tools/form/index.js';
export type { ErrorCode } from './wire/errors.js';
export { MailHygieneError } from './wire/errors.js';
