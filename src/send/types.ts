/**
 * The contract between the composer and whatever carries the bytes: a
 * transport gets the exact bytes plus an explicit envelope and must not
 * change either.
 */
import type { Readable } from 'node:stream';
import type { Envelope } from '../wire/index.js';
import type { TransportError } from './error.js';

/** What a transport is handed: the exact message bytes and the SMTP envelope. */
export interface OutgoingMessage {
  /** The complete message (CRLF line endings), as composed. Never modified by the transport. */
  raw: Buffer | Readable;
  envelope: Envelope;
  /** With angle brackets, as in the Message-ID header. Used for logs and file names. */
  messageId?: string;
}

/** A recipient the receiving side refused while others were accepted. */
export interface RejectedRecipient {
  recipient: string;
  error: TransportError;
}

/**
 * Outcome of one successful hand-over. A transport returns only when at least
 * one recipient was accepted; when none was, it throws a {@link TransportError}.
 */
export interface SendResult {
  /** Envelope recipients the next hop took responsibility for. */
  accepted: string[];
  /** Envelope recipients the next hop refused (the message was still sent to `accepted`). */
  rejected: string[];
  /** Why each of `rejected` was refused, where the transport knows it. */
  rejectedErrors?: RejectedRecipient[];
  /** The final reply of the next hop (SMTP `250 …`, sendmail output, file path). */
  response?: string;
}

/** Anything that can deliver composed bytes: sendmail, SMTP, nodemailer, file, memory. */
export interface Transport {
  /** Short name for logs: `sendmail`, `smtp`, `file`, … */
  readonly name: string;
  /** Hands over one message. Rejects with a `TransportError` (or a `MailHygieneError` for a bad envelope). */
  send(msg: OutgoingMessage): Promise<SendResult>;
  /** Releases connections, pools or processes. */
  close?(): Promise<void>;
}
