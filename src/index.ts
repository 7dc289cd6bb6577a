/**
 * mailhygiene: outgoing mail that other servers accept.
 *
 * @packageDocumentation
 */

export type {
  AttachmentInput,
  ComposedMessage,
  ComposedStream,
  DkimOptions,
  ListUnsubscribeInput,
  MessageInput,
  Options,
  Policy,
} from './compose/index.js';
export {
  addressInputSchema,
  addressListSchema,
  attachmentSchema,
  bodyHash,
  buildDkimSignatureHeader,
  compose,
  composeStream,
  createBodyHasher,
  dkimSign,
  messageInputSchema,
  optionsSchema,
  resolvePolicy,
  strict as strictPolicy,
} from './compose/index.js';
export type {
  Finding,
  FindingLocation,
  LintOptions,
  LintReport,
  RuleId,
  RuleInfo,
  Severity,
} from './lint/index.js';
export { formatLocation, lint, rules } from './lint/index.js';
export type { RepairOptions, RepairResult } from './repair/index.js';
export { repair } from './repair/index.js';
export type {
  FileTransportOptions,
  FileTransportRecord,
  Mailer,
  MailerOptions,
  MailerSendResult,
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
  createMailer,
  fileTransport,
  memoryTransport,
  nodemailerTransport,
  sendmailTransport,
  smtpTransport,
  TransportError,
} from './send/index.js';
export type {
  CheckStatus,
  ContactData,
  ContactForm,
  ContactFormConfig,
  ContactFormError,
  ContactFormErrorCode,
  ContactFormResult,
  ContactMailer,
  DnsLike,
  DoctorCheck,
  DoctorOptions,
  DoctorReport,
  ResolverOptions,
} from './tools/index.js';
export {
  checkVisitorAddress,
  contactEmailSchema,
  contactForm,
  contactMessageSchema,
  contactNameSchema,
  contactSubjectSchema,
  DEFAULT_MAX_LENGTH,
  doctor,
  FORBIDDEN_FORM_FIELDS,
  formatReport as formatDoctorReport,
  isForbiddenFormField,
} from './tools/index.js';
export type { AddressInput, AddressList, Envelope, ErrorCode } from './wire/index.js';
export { MailHygieneError } from './wire/index.js';
