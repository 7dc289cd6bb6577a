/**
 * Classifying transport failures: SMTP replies and their codes into the
 * temporary/permanent {@link TransportError}.
 */
import { TransportError, type TransportErrorCode } from '../wire/index.js';
import { EX, sysexitName } from './sysexits.js';

export { TransportError };

/** Reply code and enhanced status code found at the start of an SMTP reply. */
export interface ParsedReply {
  responseCode?: number;
  enhancedCode?: string;
}

/**
 * Reads `550 5.7.1 Relay access denied` into `{ responseCode: 550, enhancedCode: '5.7.1' }`.
 * Multi-line replies (`550-5.7.1 …`) work too.
 */
export function parseSmtpReply(reply: string): ParsedReply {
  const m = /^([2-5]\d\d)(?:[ -]([245]\.\d{1,3}\.\d{1,3})\b)?/.exec(reply.trimStart());
  if (!m) return {};
  const out: ParsedReply = { responseCode: Number(m[1]) };
  if (m[2] !== undefined) out.enhancedCode = m[2];
  return out;
}

/**
 * Whether an SMTP reply code means "try again later" (RFC 5321 §4.2.1:
 * 4yz transient, 5yz permanent). Returns undefined for codes that are not
 * failures (2yz, 3yz).
 */
export function isTemporarySmtpCode(responseCode: number): boolean | undefined {
  if (responseCode >= 400 && responseCode < 500) return true;
  if (responseCode >= 500 && responseCode < 600) return false;
  return undefined;
}

/** Socket-level error codes where the same message may go through on a new connection. */
const TEMPORARY_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'EAI_AGAIN',
  // nodemailer's own names for the same situations
  'ECONNECTION',
  'ESOCKET',
  'EDNS',
  'EMAXLIMIT',
]);

/** True for errors that say the connection failed, not that the message was refused. */
export function isTemporaryNetworkCode(code: string | undefined): boolean {
  return code !== undefined && TEMPORARY_NETWORK_CODES.has(code);
}

/**
 * Node's names for a peer certificate that failed verification (OpenSSL's
 * X509_V_ERR_* without the prefix, plus Node's own host-name check). The
 * same certificate fails the same way on every retry: a configuration
 * problem, never temporary.
 */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** True for a TLS certificate verification failure (see {@link CERTIFICATE_CODES}). */
export function isCertificateErrorCode(code: string | undefined): boolean {
  return code !== undefined && CERTIFICATE_CODES.has(code);
}

/**
 * The error for a send on a mailer or transport that was closed, or still
 * queued when it was: no server saw the message, so it is temporary (queue
 * it for a mailer that is open). `field: 'closed'` tells it apart.
 */
export function closedError(what: string): TransportError {
  return new TransportError(
    'TRANSPORT_UNAVAILABLE',
    `${what} was closed; the message was not sent (send it again through an open one)`,
    { temporary: true, field: 'closed' },
  );
}

/** How a sendmail exit status is reported. */
export interface SysexitClass {
  temporary: boolean;
  code: TransportErrorCode;
  /** The sysexits.h name, e.g. `EX_TEMPFAIL`. */
  name: string;
}

/**
 * Classifies a sendmail exit status (sysexits.h). Temporary are the three
 * statuses Sendmail itself queues for a retry (deliver.c `markfailure`):
 * 75 EX_TEMPFAIL, 74 EX_IOERR (e.g. disk full), 71 EX_OSERR (fork or memory
 * failure). Everything else is permanent; 69 EX_UNAVAILABLE, 72 EX_OSFILE and
 * 78 EX_CONFIG say the mail system itself is unusable and get
 * `TRANSPORT_UNAVAILABLE`.
 */
export function classifySysexit(exitCode: number): SysexitClass {
  const name = sysexitName(exitCode) ?? `exit ${exitCode}`;
  const temporary = exitCode === EX.TEMPFAIL || exitCode === EX.IOERR || exitCode === EX.OSERR;
  const unavailable =
    exitCode === EX.UNAVAILABLE || exitCode === EX.OSFILE || exitCode === EX.CONFIG;
  return { temporary, code: unavailable ? 'TRANSPORT_UNAVAILABLE' : 'TRANSPORT_FAILED', name };
}
