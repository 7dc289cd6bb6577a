/**
 * The one table of smtpTransport's options: what each means (the README's
 * "smtpTransport options" table is checked against it by
 * test/transport/smtp-options.test.ts), how it reaches nodemailer, and
 * whether the sendmail shim's config file takes it under `transport`.
 * `satisfies` keeps it complete: an option added to
 * {@link SmtpTransportOptions} without a row here is a compile error.
 */
import type { ConnectionOptions } from 'node:tls';

export interface SmtpAuth {
  user: string;
  pass?: string;
  /** e.g. `'oauth2'` with the matching nodemailer fields. */
  type?: string;
  [key: string]: unknown;
}

/** Each option has its row in {@link SMTP_OPTIONS} below (README text, config-file key). */
export interface SmtpTransportOptions {
  host: string;
  /** Default 587, or 465 when `secure`. */
  port?: number;
  /** Implicit TLS from the first byte (port 465). Default false. */
  secure?: boolean;
  /** Fail unless STARTTLS succeeds (when not `secure`). Default false. */
  requireTLS?: boolean;
  /** Never use STARTTLS even when offered. Default false. */
  ignoreTLS?: boolean;
  auth?: SmtpAuth;
  /** Keep connections open and reuse them. */
  pool?: boolean | { maxConnections?: number; maxMessages?: number };
  /** Passed to `tls.connect` (e.g. `servername`, `ca`, `rejectUnauthorized`). */
  tls?: ConnectionOptions;
  /** HELO/EHLO name. Default: nodemailer's (the machine's host name). */
  name?: string;
  /** Milliseconds to wait for the TCP connection. Default 30 000. */
  connectionTimeout?: number;
  /** Milliseconds to wait for the 220 greeting. Default 30 000. */
  greetingTimeout?: number;
  /** Milliseconds of inactivity before the connection is given up. Default 60 000. */
  socketTimeout?: number;
  /** Allow UTF-8 envelope addresses (the server must offer SMTPUTF8). Default false. */
  smtputf8?: boolean;
  /** Further nodemailer SMTP options, passed as they are. */
  nodemailer?: Record<string, unknown>;
}

interface SmtpOptionRow {
  /**
   * How nodemailer gets it: `copy` as it is (when set), `own` handled by
   * smtpTransport itself (host is required, pool expands, smtputf8 is our
   * check, nodemailer's own options are the base).
   */
  readonly nodemailer: 'copy' | 'own';
  /** Also a key of the shim's `transport: {"type": "smtp", …}` config. */
  readonly config: boolean;
  /** The README table's "meaning" cell; empty: the option shares the row above. */
  readonly readme: string;
}

export const SMTP_OPTIONS = {
  host: {
    nodemailer: 'own',
    config: true,
    readme: '**required.** The relay or submission server.',
  },
  port: { nodemailer: 'copy', config: true, readme: 'default 587, or 465 with `secure`' },
  secure: {
    nodemailer: 'copy',
    config: true,
    readme:
      'TLS from the first byte (port 465). Default `false`: plain, then STARTTLS when offered',
  },
  requireTLS: {
    nodemailer: 'copy',
    config: true,
    readme: 'fail unless STARTTLS succeeds; nothing is sent in clear',
  },
  ignoreTLS: {
    nodemailer: 'copy',
    config: true,
    readme: 'never STARTTLS, even when offered (a relay on loopback)',
  },
  tls: {
    nodemailer: 'copy',
    config: true,
    readme:
      "passed to `tls.connect`: `ca` to trust a private or self-signed CA, `servername` for the name the certificate carries when you connect by IP, `rejectUnauthorized: false` accepts any certificate (only on a network you trust). A certificate that fails verification (`DEPTH_ZERO_SELF_SIGNED_CERT`, `SELF_SIGNED_CERT_IN_CHAIN`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, `CERT_HAS_EXPIRED`, `ERR_TLS_CERT_ALTNAME_INVALID`, …) is a permanent `TRANSPORT_UNAVAILABLE` with `field: 'tls'`: retrying presents the same certificate",
  },
  auth: {
    nodemailer: 'copy',
    config: true,
    readme: "`{ user, pass }` (or nodemailer's OAuth2 fields with `type: 'oauth2'`)",
  },
  name: { nodemailer: 'copy', config: true, readme: 'EHLO name; must be a host name' },
  pool: {
    nodemailer: 'own',
    config: false,
    readme: 'keep connections open and reuse them (see Pooling below)',
  },
  connectionTimeout: {
    nodemailer: 'copy',
    config: false,
    readme:
      "milliseconds to wait for the TCP connection (default 30 000), for the 220 greeting (30 000), and for any reply once talking, e.g. a relay that stalls after DATA (60 000). A timeout is a temporary `TransportError`; nodemailer's own default would leave `send()` waiting 10 minutes",
  },
  greetingTimeout: { nodemailer: 'copy', config: false, readme: '' },
  socketTimeout: { nodemailer: 'copy', config: false, readme: '' },
  smtputf8: {
    nodemailer: 'own',
    config: false,
    readme: 'allow UTF-8 envelope addresses (the server must offer SMTPUTF8)',
  },
  nodemailer: {
    nodemailer: 'own',
    config: false,
    readme: 'further nodemailer SMTP options, passed as they are',
  },
} as const satisfies { readonly [K in keyof SmtpTransportOptions]-?: SmtpOptionRow };

type SmtpOptionName = keyof typeof SMTP_OPTIONS;

const names = Object.keys(SMTP_OPTIONS) as SmtpOptionName[];

/** The options nodemailer receives as they are. */
export const SMTP_COPIED_OPTIONS = names.filter((n) => SMTP_OPTIONS[n].nodemailer === 'copy');

/** The options the shim's config file takes under an smtp `transport` (besides `type`, `timeoutMs`). */
export const SMTP_CONFIG_OPTIONS = names.filter((n) => SMTP_OPTIONS[n].config);

/** Submission (RFC 6409) unless `secure`: implicit TLS on 465 (RFC 8314 §3.3). */
export function defaultSmtpPort(secure: boolean): number {
  return secure ? 465 : 587;
}
