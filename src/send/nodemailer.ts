/**
 * Any nodemailer transporter (SMTP, pool, SES, stream, JSON, custom) as a
 * Transport. We compose; nodemailer only carries `{ envelope, raw }`, so its
 * own message building, address parsing and header handling never touch
 * the bytes.
 */
import type { Readable } from 'node:stream';
import { assertEnvelope, type EnvelopeCheckOptions } from './argv.js';
import {
  isCertificateErrorCode,
  isTemporaryNetworkCode,
  isTemporarySmtpCode,
  parseSmtpReply,
  TransportError,
} from './error.js';
import { guardRaw } from './raw-guard.js';
import type { OutgoingMessage, RejectedRecipient, SendResult, Transport } from './types.js';

/** The part of a nodemailer transporter we use (structural, so nodemailer stays optional). */
export interface NodemailerLikeTransporter {
  sendMail(mail: { envelope: NodemailerEnvelope; raw: Buffer | Readable }): Promise<NodemailerInfo>;
  close?(): void;
}

/** The envelope nodemailer's SMTP connection reads (`use8BitMime`, `size` are optional extensions). */
interface NodemailerEnvelope {
  from: string;
  to: string[];
  use8BitMime?: boolean;
  size?: number;
}

/** What nodemailer transporters resolve with; SMTP fills the lists, others may not. */
export interface NodemailerInfo {
  accepted?: Array<string | { address?: string }>;
  rejected?: Array<string | { address?: string }>;
  rejectedErrors?: unknown[];
  response?: unknown;
  messageId?: string;
}

/** Fields nodemailer puts on its errors. */
interface NodemailerErrorFields {
  message?: string;
  code?: string;
  originalCode?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  recipient?: string;
  rejected?: unknown[];
  rejectedErrors?: unknown[];
}

export interface NodemailerTransportOptions extends EnvelopeCheckOptions {
  /** Name for logs. Default `nodemailer`. */
  name?: string;
}

function addressOf(entry: unknown): string {
  if (typeof entry === 'string') return entry;
  if (entry && typeof entry === 'object' && 'address' in entry) {
    return String((entry as { address: unknown }).address);
  }
  return String(entry);
}

/**
 * Maps a nodemailer error to a {@link TransportError}: SMTP reply codes by
 * RFC 5321 class (4yz temporary, 5yz permanent), lost or refused
 * connections and timeouts temporary, everything else (bad configuration,
 * authentication without a reply code, TLS failures, API errors) permanent.
 * A refused server certificate is `TRANSPORT_UNAVAILABLE` with `field: 'tls'`
 * and a hint at the `tls` option.
 */
export function mapNodemailerError(error: unknown): TransportError {
  if (error instanceof TransportError) return error;
  const e = (error && typeof error === 'object' ? error : {}) as NodemailerErrorFields;
  const certificate = certificateErrorCode(e);
  if (certificate !== undefined) {
    const message = typeof e.message === 'string' ? e.message : String(error);
    return new TransportError('TRANSPORT_UNAVAILABLE', certificateHint(message, certificate), {
      temporary: false,
      field: 'tls',
      ...(typeof e.command === 'string' ? { command: e.command } : {}),
      cause: error,
    });
  }
  const response = typeof e.response === 'string' ? e.response : undefined;
  const parsed = response ? parseSmtpReply(response) : {};
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : parsed.responseCode;
  const byReply = responseCode === undefined ? undefined : isTemporarySmtpCode(responseCode);
  const temporary =
    byReply ??
    (isTemporaryNetworkCode(e.code) ||
      isTemporaryNetworkCode(e.originalCode) ||
      // nodemailer's pool fails what is still queued with this (no code) when it is closed:
      // no server saw those messages.
      e.message === POOL_CLOSED_MESSAGE);
  const rejected = Array.isArray(e.rejected) ? e.rejected.map(addressOf) : undefined;
  const message = typeof e.message === 'string' ? e.message : String(error);
  return new TransportError('TRANSPORT_FAILED', message, {
    temporary,
    ...(responseCode !== undefined ? { responseCode } : {}),
    ...(parsed.enhancedCode !== undefined ? { enhancedCode: parsed.enhancedCode } : {}),
    ...(typeof e.command === 'string' ? { command: e.command } : {}),
    ...(response !== undefined ? { response } : {}),
    ...(rejected ? { rejected } : {}),
    cause: error,
  });
}

/** What nodemailer's SMTP pool rejects queued messages with on close(). */
const POOL_CLOSED_MESSAGE = 'Connection pool was closed';

/** The certificate error code on a nodemailer error (nodemailer keeps Node's as `originalCode`). */
function certificateErrorCode(e: NodemailerErrorFields & { cause?: unknown }): string | undefined {
  for (const code of [e.code, e.originalCode, (e.cause as { code?: unknown } | undefined)?.code]) {
    if (typeof code === 'string' && isCertificateErrorCode(code)) return code;
  }
  return undefined;
}

/** Says what to change: a retry presents the same certificate. */
function certificateHint(message: string, code: string): string {
  return (
    `the relay's TLS certificate was refused (${code}: ${message}); retrying will not help. ` +
    'Trust its CA with the tls option ({ tls: { ca } }), or use the host name the certificate ' +
    'names ({ tls: { servername } }); { tls: { rejectUnauthorized: false } } accepts any ' +
    'certificate and is only for a relay on a network you trust'
  );
}

/** True when some byte of `raw` is 8-bit, i.e. BODY=8BITMIME should be declared (RFC 6152). */
function has8Bit(raw: Buffer): boolean {
  for (let i = 0; i < raw.length; i++) if (raw[i]! > 0x7f) return true;
  return false;
}

/**
 * Turns nodemailer's result into a SendResult. Transports that report no
 * recipient lists (stream, JSON, SES) accepted the whole envelope, since they
 * resolved without error. A result that accepted nobody (LMTP can do that)
 * is a failure, never a success.
 */
export function mapNodemailerInfo(info: NodemailerInfo, envelopeTo: string[]): SendResult {
  const accepted = Array.isArray(info?.accepted) ? info.accepted.map(addressOf) : [...envelopeTo];
  const rejected = Array.isArray(info?.rejected) ? info.rejected.map(addressOf) : [];
  const rejectedErrors: RejectedRecipient[] = (
    Array.isArray(info?.rejectedErrors) ? info.rejectedErrors : []
  ).map((err, i) => ({
    recipient:
      (err as NodemailerErrorFields | null)?.recipient ?? rejected[i] ?? '(unknown recipient)',
    error: mapNodemailerError(err),
  }));
  const response = typeof info?.response === 'string' ? info.response : undefined;
  if (accepted.length === 0) {
    const temporary = rejectedErrors.some((r) => r.error.temporary);
    throw new TransportError('TRANSPORT_FAILED', 'no recipient was accepted', {
      temporary,
      rejected,
      ...(response !== undefined ? { response } : {}),
    });
  }
  return {
    accepted,
    rejected,
    ...(rejectedErrors.length ? { rejectedErrors } : {}),
    ...(response !== undefined ? { response } : {}),
  };
}

/**
 * Sends one message through a nodemailer transporter as `{ envelope, raw }`.
 * Shared by {@link nodemailerTransport} and `smtpTransport`.
 */
export async function sendThroughNodemailer(
  transporter: NodemailerLikeTransporter,
  msg: OutgoingMessage,
  options: EnvelopeCheckOptions,
): Promise<SendResult> {
  assertEnvelope(msg.envelope, options);
  const raw = await guardRaw(msg.raw);
  const envelope: NodemailerEnvelope = { from: msg.envelope.from, to: [...msg.envelope.to] };
  if (Buffer.isBuffer(raw)) {
    envelope.size = raw.length;
    if (has8Bit(raw)) envelope.use8BitMime = true;
  } else {
    // A stream's bytes are unknown in advance; declaring 8BITMIME for 7-bit data is harmless,
    // the reverse is a protocol violation.
    envelope.use8BitMime = true;
  }
  let info: NodemailerInfo;
  try {
    // messageId is deliberately not passed: with `raw` nodemailer must not touch any header.
    info = await transporter.sendMail({ envelope, raw });
  } catch (err) {
    throw mapNodemailerError(err);
  }
  return mapNodemailerInfo(info, msg.envelope.to);
}

/**
 * Wraps an existing nodemailer transporter (SES, stream, JSON, custom, SMTP)
 * so composed messages go through it unchanged.
 *
 * @example
 * ```ts
 * import nodemailer from 'nodemailer'
 * const transport = nodemailerTransport(nodemailer.createTransport({ streamTransport: true }))
 * ```
 */
export function nodemailerTransport(
  transporter: NodemailerLikeTransporter,
  options: NodemailerTransportOptions = {},
): Transport {
  if (!transporter || typeof transporter.sendMail !== 'function') {
    throw new TransportError(
      'TRANSPORT_UNAVAILABLE',
      'not a nodemailer transporter (no sendMail)',
      {
        temporary: false,
        field: 'transporter',
      },
    );
  }
  const checkOptions = { smtputf8: options.smtputf8 ?? false };
  return {
    name: options.name ?? 'nodemailer',
    send: (msg) => sendThroughNodemailer(transporter, msg, checkOptions),
    async close() {
      transporter.close?.();
    },
  };
}
