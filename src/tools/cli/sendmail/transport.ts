/**
 * The configured transport, built on demand. Each kind is imported only when
 * configured; nodemailer is loaded by smtpTransport itself on first send, so
 * the sendmail and file paths never touch it.
 */
import type { Transport } from '../../../send/index.js';
import type { TransportConfig } from './config.js';

/** Set in the environment of a sendmail transport child: the shim must not call itself. */
export const LOOP_GUARD_ENV = 'MAILHYGIENE_SENDMAIL_ACTIVE';

/** The Transport for a validated `transport` setting. */
export async function createConfiguredTransport(
  config: TransportConfig,
  env: Record<string, string | undefined>,
): Promise<Transport> {
  switch (config.type) {
    case 'sendmail': {
      const { sendmailTransport } = await import('../../../send/sendmail.js');
      return sendmailTransport({
        path: config.path,
        args: config.args,
        env: { ...env, [LOOP_GUARD_ENV]: '1' },
        ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
      });
    }
    case 'smtp': {
      const { smtpTransport } = await import('../../../send/smtp.js');
      const t = config.timeoutMs;
      return smtpTransport({
        host: config.host,
        port: config.port,
        secure: config.secure,
        ...(config.requireTLS !== undefined ? { requireTLS: config.requireTLS } : {}),
        ...(config.ignoreTLS !== undefined ? { ignoreTLS: config.ignoreTLS } : {}),
        ...(config.tls ? { tls: config.tls } : {}),
        ...(config.auth ? { auth: config.auth } : {}),
        ...(config.name !== undefined ? { name: config.name } : {}),
        ...(t !== undefined ? { connectionTimeout: t, greetingTimeout: t, socketTimeout: t } : {}),
      });
    }
    case 'file': {
      const { fileTransport } = await import('../../../send/file.js');
      return fileTransport({ dir: config.dir });
    }
  }
}
