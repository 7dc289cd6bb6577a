/**
 * SMTP through nodemailer's SMTP transport. nodemailer is an optional peer
 * dependency, loaded on first use so that apps using sendmail or files never
 * load it.
 */

import { createRequire } from 'node:module';
import {
  findUnsafeCodePoint,
  isHostname,
  loadLazily,
  MailHygieneError,
  ownData,
} from '../wire/index.js';
import { closedError, TransportError } from './error.js';
import { type NodemailerLikeTransporter, sendThroughNodemailer } from './nodemailer.js';
import { SMTP_COPIED_OPTIONS, type SmtpTransportOptions } from './smtp-options.js';
import type { OutgoingMessage, SendResult, Transport } from './types.js';

export type { SmtpAuth, SmtpTransportOptions } from './smtp-options.js';

interface NodemailerModule {
  createTransport(options: Record<string, unknown>): NodemailerLikeTransporter;
}

/**
 * How to install nodemailer so that mailhygiene finds it. A global
 * mailhygiene (the sendmail shim) resolves packages from the global
 * node_modules it sits in, so nodemailer must be installed globally too.
 */
export const NODEMAILER_INSTALL_HINT =
  'npm install nodemailer (in the app that uses mailhygiene; for the global mailhygiene-sendmail: npm install -g nodemailer)';

/**
 * Loads nodemailer with `require` (nodemailer ships CommonJS in every
 * version we support; the sendmail bundle has no `import()`), through
 * {@link loadLazily} so that a file-descriptor shortage is a temporary error
 * and the next send loads it again. The specifier is a variable so that
 * bundlers leave it alone and nodemailer stays an optional peer dependency.
 * @internal exported for tests
 */
export function loadNodemailer(
  specifier = 'nodemailer',
  req: (id: string) => unknown = createRequire(import.meta.url),
): NodemailerModule {
  const mod = loadLazily(`"${specifier}" (needed by smtpTransport)`, NODEMAILER_INSTALL_HINT, () =>
    req(specifier),
  );
  const m = mod as Partial<NodemailerModule> & { default?: Partial<NodemailerModule> };
  const createTransport = m.createTransport ?? m.default?.createTransport;
  if (typeof createTransport !== 'function') {
    throw new TransportError('TRANSPORT_UNAVAILABLE', `"${specifier}" has no createTransport`, {
      temporary: false,
    });
  }
  return { createTransport };
}

/**
 * Timeouts used unless the caller sets them (nodemailer's own wait up to 10
 * minutes for a silent server, which leaves `send()` and PHP's `mail()`
 * hanging): 30 s to connect, 30 s for the greeting, 60 s of silence at any
 * later point (a relay that stalls after DATA). A stalled send rejects as
 * temporary.
 */
export const SMTP_TIMEOUT_DEFAULTS = {
  connectionTimeout: 30_000,
  greetingTimeout: 30_000,
  socketTimeout: 60_000,
} as const;

/** nodemailer's options from ours; nothing that would let nodemailer build or change messages. */
function toNodemailerOptions(o: SmtpTransportOptions): Record<string, unknown> {
  const opts: Record<string, unknown> = { ...SMTP_TIMEOUT_DEFAULTS, ...o.nodemailer, host: o.host };
  for (const key of SMTP_COPIED_OPTIONS) if (o[key] !== undefined) opts[key] = o[key];
  if (o.pool) {
    opts.pool = true;
    if (typeof o.pool === 'object') Object.assign(opts, o.pool);
  }
  return opts;
}

/**
 * The EHLO name goes verbatim into the SMTP dialogue: a line break in it would
 * inject commands (nodemailer ≤ 8.0.4, GHSA-vvjj-xcjg-gr5g). It must be a host name.
 */
function checkHeloName(name: unknown): void {
  const ok = typeof name === 'string' && findUnsafeCodePoint(name) === -1 && isHostname(name);
  if (!ok) {
    throw new MailHygieneError(
      'INVALID_OPTIONS',
      `smtpTransport: name ${JSON.stringify(String(name).slice(0, 80))} is not a host name`,
      { field: 'name' },
    );
  }
}

/**
 * A transport over SMTP (submission, relay or MX) through nodemailer.
 * Replies map to `TransportError` (4yz temporary, 5yz permanent); a refused
 * recipient among accepted ones ends up in `rejected`; no recipient accepted
 * is an error. SMTPUTF8 and 8BITMIME are negotiated by nodemailer, and
 * declared only when the envelope or the bytes need them.
 *
 * @example
 * ```ts
 * const transport = smtpTransport({ host: 'smtp.example.com', port: 587, requireTLS: true,
 *   auth: { user: 'app', pass: process.env.SMTP_PASS } })
 * ```
 */
export function smtpTransport(
  options: SmtpTransportOptions,
  /** @internal for tests: how nodemailer is loaded. */
  load: () => NodemailerModule | Promise<NodemailerModule> = () => loadNodemailer(),
): Transport {
  // Own data properties only: an inherited `auth` or `host` (prototype pollution) is never used.
  options = ownData(options, '', 'INVALID_OPTIONS', 2) as SmtpTransportOptions;
  if (!options || typeof options.host !== 'string' || options.host === '') {
    throw new TransportError('TRANSPORT_UNAVAILABLE', 'smtpTransport needs a host', {
      temporary: false,
      field: 'host',
    });
  }
  if (options.name !== undefined) checkHeloName(options.name);
  const checkOptions = { smtputf8: options.smtputf8 ?? false };
  let transporter: Promise<NodemailerLikeTransporter> | undefined;
  // Closed means closed: no send after close() opens a new connection or pool that nobody closes.
  let closed = false;

  const getTransporter = (): Promise<NodemailerLikeTransporter> => {
    if (!transporter) {
      const created = Promise.resolve()
        .then(load)
        .then((nm) => nm.createTransport(toNodemailerOptions(options)));
      transporter = created;
      // A failed load is reported on this send and retried on the next, not cached forever.
      created.catch(() => {
        if (transporter === created) transporter = undefined;
      });
    }
    return transporter;
  };

  return {
    name: 'smtp',
    async send(msg: OutgoingMessage): Promise<SendResult> {
      if (closed) throw closedError('the smtp transport');
      const t = await getTransporter();
      if (closed) throw closedError('the smtp transport');
      return sendThroughNodemailer(t, msg, checkOptions);
    },
    async close() {
      closed = true;
      if (!transporter) return;
      const t = await transporter.catch(() => undefined);
      transporter = undefined;
      t?.close?.();
    },
  };
}
