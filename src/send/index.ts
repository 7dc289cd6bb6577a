/** Transports: bytes plus envelope to sendmail, SMTP, any nodemailer transporter, files or memory. */

export { assertEnvelopeAddress } from './argv.js';
export type { AtomicFs } from './atomic-file.js';
export { linkAll, realFs, removeTemps, writeSyncedTemp } from './atomic-file.js';

export {
  classifySysexit,
  TransportError,
} from './error.js';
export type { FileTransportOptions, FileTransportRecord } from './file.js';
export { fileTransport } from './file.js';
export type { Mailer, MailerOptions, MailerSendResult } from './mailer.js';
export { createMailer } from './mailer.js';
export type { MemoryTransport, StoredMessage } from './memory.js';
export { memoryTransport } from './memory.js';
export type { NodemailerLikeTransporter, NodemailerTransportOptions } from './nodemailer.js';
export { mapNodemailerError, nodemailerTransport } from './nodemailer.js';
export type { SendmailTransportOptions } from './sendmail.js';
export { sendmailTransport } from './sendmail.js';
export type { SmtpTransportOptions } from './smtp.js';
export { loadNodemailer, smtpTransport } from './smtp.js';
export { defaultSmtpPort, SMTP_CONFIG_OPTIONS, SMTP_OPTIONS } from './smtp-options.js';
export { EX, sysexitName } from './sysexits.js';
export type { OutgoingMessage, SendResult, Transport } from './types.js';
