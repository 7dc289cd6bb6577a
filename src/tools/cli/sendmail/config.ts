/**
 * The shim's configuration file: JSON at `$MAILHYGIENE_CONFIG`, else
 * `/etc/mailhygiene.json`. Checked by hand rather than with zod: this runs
 * for every PHP mail and zod alone costs more start-up time than the rest of
 * the shim. Every problem is reported with its JSON path, all at once, so an
 * operator fixes the file in one go. Unknown keys are errors: a typo such as
 * `envelopeform` must not silently fall back to a default.
 */
import { readFileSync } from 'node:fs';
import { legacyCharsetProblem } from '../../../read/index.js';
import {
  assertEnvelopeAddress,
  defaultSmtpPort,
  loadNodemailer,
  SMTP_CONFIG_OPTIONS,
  TransportError,
} from '../../../send/index.js';
import { isLocalDomain } from '../../../wire/index.js';

const DEFAULT_CONFIG_PATH = '/etc/mailhygiene.json';
/** Where messages go that could not be sent, unless the file says otherwise. */
export const DEFAULT_DEAD_LETTER_DIR = '/var/spool/mailhygiene/dead-letter';

export type TransportConfig =
  | { type: 'sendmail'; path: string; args: string[]; timeoutMs?: number }
  | {
      type: 'smtp';
      host: string;
      port: number;
      secure: boolean;
      requireTLS?: boolean;
      /** Never STARTTLS, even when offered (a loopback relay). */
      ignoreTLS?: boolean;
      /** `rejectUnauthorized: false` accepts a self-signed relay certificate. */
      tls?: { rejectUnauthorized?: boolean; servername?: string };
      auth?: { user: string; pass: string };
      /** EHLO name. */
      name?: string;
      timeoutMs?: number;
    }
  | { type: 'file'; dir: string };

export interface SendmailConfig {
  /** Where the file was read from (for messages). */
  path: string;
  transport: TransportConfig;
  /** Bounce address used when -f is missing, local or unqualified. */
  envelopeFrom: string;
  /** From for messages without one (`Name <addr>` or `addr`). */
  defaultFrom?: string;
  legacyCharset: string;
  maxRecipients: number;
  deadLetterDir: string;
  /** `'stderr'` or a file path; JSON lines. Absent: no success log, errors still go to stderr. */
  log?: string;
  /** Also log ignored options and other details. */
  debug: boolean;
}

/** The file is missing, unreadable, not JSON or has invalid values (exit 78). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const TOP_KEYS = [
  'transport',
  'envelopeFrom',
  'defaultFrom',
  'legacyCharset',
  'maxRecipients',
  'deadLetterDir',
  'log',
  'debug',
];

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Collects problems; each is `path: what is wrong`. */
class Problems {
  readonly list: string[] = [];
  add(path: string, message: string): void {
    this.list.push(`${path}: ${message}`);
  }
  unknownKeys(obj: Json, allowed: readonly string[], path: string): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) {
        this.add(path ? `${path}.${key}` : key, `unknown key (allowed: ${allowed.join(', ')})`);
      }
    }
  }
  string(obj: Json, key: string, path: string, required: boolean): string | undefined {
    const v = obj[key];
    if (v === undefined) {
      if (required) this.add(path, 'is required');
      return undefined;
    }
    if (typeof v !== 'string' || v.length === 0) {
      this.add(path, `must be a non-empty string, got ${describe(v)}`);
      return undefined;
    }
    return v;
  }
  integer(obj: Json, key: string, path: string, min: number, max: number): number | undefined {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.add(path, `must be a whole number from ${min} to ${max}, got ${describe(v)}`);
      return undefined;
    }
    return v;
  }
  boolean(obj: Json, key: string, path: string): boolean | undefined {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') {
      this.add(path, `must be true or false, got ${describe(v)}`);
      return undefined;
    }
    return v;
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v);
  if (typeof v === 'object') return 'an object';
  return String(v);
}

/** Checks a bounce address: plain `local@domain`, routable from the internet. */
function checkBounceAddress(value: string, path: string, p: Problems): void {
  try {
    assertEnvelopeAddress(value, 'sender', path);
  } catch (e) {
    p.add(path, `is not a usable bounce address: ${(e as Error).message}`);
    return;
  }
  if (isLocalDomain(value.slice(value.indexOf('@') + 1))) {
    p.add(path, `${JSON.stringify(value)} is on a local domain; bounces to it would be lost`);
  }
}

/**
 * A From value: `addr` or `Name <addr>` on one line. The full mailbox grammar
 * is repair's job; this catches what would make every message fail.
 */
function checkDefaultFrom(value: string, path: string, p: Problems): void {
  // eslint-disable-next-line regexp/no-super-linear-backtracking, redos/no-vulnerable -- the admin's own config file, read once at start, not mail
  const m = /^(?:(.*?)\s*<([^<>]+)>|([^<>\s]+))$/.exec(value.trim());
  if (!m || /[\r\n\0]/.test(value)) {
    p.add(path, `must be "addr@example.com" or "Name <addr@example.com>", got ${describe(value)}`);
    return;
  }
  const address = (m[2] ?? m[3])!;
  try {
    assertEnvelopeAddress(address, 'sender', path);
  } catch (e) {
    p.add(path, `has an invalid address: ${(e as Error).message}`);
  }
}

function checkTransport(v: unknown, p: Problems): TransportConfig | undefined {
  const path = 'transport';
  if (v === undefined) {
    p.add(path, 'is required: {"type":"sendmail"|"smtp"|"file", ...}');
    return undefined;
  }
  if (!isObject(v)) {
    p.add(path, `must be an object, got ${describe(v)}`);
    return undefined;
  }
  switch (v['type']) {
    case 'sendmail': {
      p.unknownKeys(v, ['type', 'path', 'args', 'timeoutMs'], path);
      // Required, no default: the shim itself may be installed as /usr/sbin/sendmail.
      const program = p.string(v, 'path', `${path}.path`, true) ?? '';
      const args = v['args'] ?? [];
      if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
        p.add(`${path}.args`, `must be an array of strings, got ${describe(args)}`);
      }
      const timeoutMs = p.integer(v, 'timeoutMs', `${path}.timeoutMs`, 1, 3_600_000);
      return {
        type: 'sendmail',
        path: program,
        args: Array.isArray(args) ? (args as string[]) : [],
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      };
    }
    case 'smtp': {
      // The smtpTransport options the file takes (send/smtp-options.ts), plus one timeout for all three.
      p.unknownKeys(v, ['type', ...SMTP_CONFIG_OPTIONS, 'timeoutMs'], path);
      const host = p.string(v, 'host', `${path}.host`, true);
      const secure = p.boolean(v, 'secure', `${path}.secure`) ?? false;
      const port = p.integer(v, 'port', `${path}.port`, 1, 65535) ?? defaultSmtpPort(secure);
      const requireTLS = p.boolean(v, 'requireTLS', `${path}.requireTLS`);
      const ignoreTLS = p.boolean(v, 'ignoreTLS', `${path}.ignoreTLS`);
      let tls: { rejectUnauthorized?: boolean; servername?: string } | undefined;
      if (v['tls'] !== undefined) {
        const t = v['tls'];
        if (!isObject(t)) {
          p.add(`${path}.tls`, `must be {"rejectUnauthorized": false, ...}, got ${describe(t)}`);
        } else {
          p.unknownKeys(t, ['rejectUnauthorized', 'servername'], `${path}.tls`);
          const rejectUnauthorized = p.boolean(
            t,
            'rejectUnauthorized',
            `${path}.tls.rejectUnauthorized`,
          );
          const servername = p.string(t, 'servername', `${path}.tls.servername`, false);
          tls = {
            ...(rejectUnauthorized !== undefined ? { rejectUnauthorized } : {}),
            ...(servername !== undefined ? { servername } : {}),
          };
        }
      }
      const name = p.string(v, 'name', `${path}.name`, false);
      const timeoutMs = p.integer(v, 'timeoutMs', `${path}.timeoutMs`, 1, 3_600_000);
      let auth: { user: string; pass: string } | undefined;
      if (v['auth'] !== undefined) {
        const a = v['auth'];
        if (!isObject(a)) {
          p.add(`${path}.auth`, `must be {"user": "...", "pass": "..."}, got ${describe(a)}`);
        } else {
          p.unknownKeys(a, ['user', 'pass'], `${path}.auth`);
          const user = p.string(a, 'user', `${path}.auth.user`, true);
          const pass = p.string(a, 'pass', `${path}.auth.pass`, true);
          if (user !== undefined && pass !== undefined) auth = { user, pass };
        }
      }
      return {
        type: 'smtp',
        host: host ?? '',
        port,
        secure,
        ...(requireTLS !== undefined ? { requireTLS } : {}),
        ...(ignoreTLS !== undefined ? { ignoreTLS } : {}),
        ...(tls ? { tls } : {}),
        ...(auth ? { auth } : {}),
        ...(name !== undefined ? { name } : {}),
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      };
    }
    case 'file': {
      p.unknownKeys(v, ['type', 'dir'], path);
      const dir = p.string(v, 'dir', `${path}.dir`, true);
      return { type: 'file', dir: dir ?? '' };
    }
    default:
      p.add(`${path}.type`, `must be "sendmail", "smtp" or "file", got ${describe(v['type'])}`);
      return undefined;
  }
}

/**
 * Validates parsed JSON. Throws one {@link ConfigError} listing every problem.
 *
 * @example
 * ```ts
 * validateConfig({ transport: { type: 'file', dir: '/tmp/out' }, envelopeFrom: 'bounces@example.com' }, 'x.json')
 * ```
 */
export function validateConfig(data: unknown, path: string): SendmailConfig {
  if (!isObject(data)) throw new ConfigError(`${path}: must be a JSON object`);
  const p = new Problems();
  p.unknownKeys(data, TOP_KEYS, '');
  const transport = checkTransport(data['transport'], p);
  const envelopeFrom = p.string(data, 'envelopeFrom', 'envelopeFrom', true);
  if (envelopeFrom !== undefined) checkBounceAddress(envelopeFrom, 'envelopeFrom', p);
  const defaultFrom = p.string(data, 'defaultFrom', 'defaultFrom', false);
  if (defaultFrom !== undefined) checkDefaultFrom(defaultFrom, 'defaultFrom', p);
  const legacyCharset = p.string(data, 'legacyCharset', 'legacyCharset', false);
  if (legacyCharset !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._:-]*$/.test(legacyCharset)) {
    p.add('legacyCharset', `is not a charset name, got ${describe(legacyCharset)}`);
  } else if (legacyCharset !== undefined && legacyCharsetProblem(legacyCharset)) {
    p.add(
      'legacyCharset',
      `${legacyCharsetProblem(legacyCharset)}, got ${describe(legacyCharset)}`,
    );
  }
  const maxRecipients = p.integer(data, 'maxRecipients', 'maxRecipients', 1, 100_000);
  const deadLetterDir = p.string(data, 'deadLetterDir', 'deadLetterDir', false);
  const log = p.string(data, 'log', 'log', false);
  const debug = p.boolean(data, 'debug', 'debug');
  if (p.list.length > 0 || !transport || envelopeFrom === undefined) {
    throw new ConfigError(`${path}: invalid configuration\n  ${p.list.join('\n  ')}`);
  }
  return {
    path,
    transport,
    envelopeFrom,
    ...(defaultFrom !== undefined ? { defaultFrom } : {}),
    legacyCharset: legacyCharset ?? 'windows-1252',
    maxRecipients: maxRecipients ?? 100,
    deadLetterDir: deadLetterDir ?? DEFAULT_DEAD_LETTER_DIR,
    ...(log !== undefined ? { log } : {}),
    debug: debug ?? false,
  };
}

/**
 * Reads and validates the configuration named by `MAILHYGIENE_CONFIG` (or
 * {@link DEFAULT_CONFIG_PATH}).
 *
 * @throws {ConfigError} with a message fit for stderr.
 */
export function loadConfig(env: Record<string, string | undefined>): SendmailConfig {
  const path = env['MAILHYGIENE_CONFIG'] || DEFAULT_CONFIG_PATH;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'not found (set MAILHYGIENE_CONFIG or create it)'
        : code === 'EACCES'
          ? 'not readable by this user'
          : (e as Error).message;
    throw new ConfigError(`${path}: ${why}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${path}: not valid JSON: ${(e as Error).message}`);
  }
  return validateConfig(data, path);
}

/**
 * An SMTP relay needs the optional nodemailer package. Its absence is a
 * configuration problem, the same for every message, so it is reported at
 * configuration load (exit 78) with the install command, instead of as a
 * failed send of each mail. A load that failed for a passing reason
 * (EMFILE) is left to the send, which retries it and keeps a dead letter.
 *
 * @throws {ConfigError} when `transport.type` is `smtp` and nodemailer cannot be loaded.
 */
export function checkTransportInstalled(
  config: SendmailConfig,
  load: () => unknown = () => loadNodemailer(),
): void {
  if (config.transport.type !== 'smtp') return;
  try {
    load();
  } catch (e) {
    if (e instanceof TransportError && e.temporary) return;
    throw new ConfigError(
      `${config.path}: transport.type "smtp" needs the nodemailer package: ${(e as Error).message}`,
    );
  }
}
