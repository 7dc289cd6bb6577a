/**
 * The loopback Postfix oracle (scripts/setup-postfix.sh) from the test side:
 * an independent minimal SMTP client (NOT the library's transport), the
 * Postfix sendmail binary, and the Maildir everything is delivered into.
 *
 * The Maildir is shared by every test (and every engineer) on the machine:
 * find your message with a unique marker (a fresh recipient local part, a
 * Message-ID) instead of emptying the Maildir first.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

export const ORACLE_SMTP_HOST = '127.0.0.1';
export const ORACLE_SMTP_PORT = Number(process.env['ORACLE_SMTP_PORT'] ?? 2525);
export const ORACLE_SMTPS_PORT = Number(process.env['ORACLE_SMTPS_PORT'] ?? 4465);
export const ORACLE_MAILDIR =
  process.env['ORACLE_MAILDIR'] ?? '/var/tmp/mailhygiene-oracles/mail/sink';
export const POSTFIX_SENDMAIL = '/usr/sbin/sendmail';
/** Recipient domains Postfix delivers into the Maildir; anything else is refused. */
export const ORACLE_DOMAINS = ['oracle.test', 'example.com', 'example.org', 'example.net'];

export interface SmtpReply {
  code: number;
  /** Enhanced status code (e.g. `5.5.2`) when the server sent one. */
  enhanced?: string;
  /** All lines of a multi-line reply, joined with "\n", codes stripped. */
  text: string;
}

export interface SmtpEnvelope {
  from: string;
  to: string[];
}

export interface SmtpSendResult {
  /** True when DATA was accepted (250) for at least one recipient. */
  ok: boolean;
  accepted: string[];
  rejected: Array<{ address: string; reply: SmtpReply }>;
  /** Reply to MAIL FROM. */
  mail?: SmtpReply;
  /** Final reply after the message data (`250 2.0.0 Ok: queued as …`, `550 5.6.0 …`). */
  data?: SmtpReply;
  /** Every reply of this transaction, in order: the full story for assertion messages. */
  replies: SmtpReply[];
  /** Postfix queue id from `queued as X`. */
  queueId?: string;
}

export interface SmtpOptions {
  host?: string;
  port?: number;
  /** Must be a FQDN: the oracle rejects `localhost`. */
  helo?: string;
  /** Per reply. Default 30 s. */
  timeoutMs?: number;
}

export interface SendOptions {
  /** Add `SMTPUTF8` to MAIL FROM. */
  smtputf8?: boolean;
  /** Add `BODY=8BITMIME` to MAIL FROM. */
  body8bitmime?: boolean;
}

/**
 * One SMTP connection that can carry several messages (RSET between them).
 * No pipelining (the oracle forbids unauthenticated pipelining).
 */
export interface SmtpSession {
  /** EHLO reply lines (extensions). */
  readonly extensions: string[];
  send(
    raw: Uint8Array | string,
    envelope: SmtpEnvelope,
    options?: SendOptions,
  ): Promise<SmtpSendResult>;
  /** QUIT and close. */
  close(): Promise<void>;
}

/**
 * Dot-stuff raw message bytes for DATA, WITHOUT touching line endings: a bare
 * LF must reach the server so its bare-newline check can judge it. A "." at the
 * start of any line (after CRLF or a bare LF) gets a second one. The terminator
 * `.CRLF` is preceded by CRLF (added when the data does not end with CRLF).
 */
export function dataPayload(raw: Uint8Array): Buffer {
  const out: number[] = [];
  let lineStart = true;
  for (const b of raw) {
    if (lineStart && b === 0x2e) out.push(0x2e);
    out.push(b);
    lineStart = b === 0x0a;
  }
  const buf = Buffer.from(out);
  const tail = buf.length >= 2 && buf[buf.length - 2] === 0x0d && buf[buf.length - 1] === 0x0a;
  return Buffer.concat([buf, Buffer.from(tail ? '.\r\n' : '\r\n.\r\n')]);
}

/**
 * Open an SMTP session to the oracle (default 127.0.0.1:2525) and say EHLO.
 *
 * @example
 * const s = await openSmtp();
 * const a = await s.send(raw1, { from: 'b@example.com', to: ['x@oracle.test'] });
 * const b = await s.send(raw2, { from: 'b@example.com', to: ['y@oracle.test'] });
 * await s.close();
 */
export async function openSmtp(options: SmtpOptions = {}): Promise<SmtpSession> {
  const host = options.host ?? ORACLE_SMTP_HOST;
  const port = options.port ?? ORACLE_SMTP_PORT;
  const helo = options.helo ?? 'client.example.com';
  const timeoutMs = options.timeoutMs ?? 30_000;

  const sock = net.connect(port, host);
  sock.setNoDelay(true);
  const reader = new ReplyReader(sock, timeoutMs);
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', () => resolve());
    sock.once('error', (err) =>
      reject(
        new Error(
          `SMTP oracle not reachable on ${host}:${port} (${err.message}); run: bash scripts/setup-oracles.sh`,
        ),
      ),
    );
  });

  const banner = await reader.next();
  if (banner.code !== 220) throw new Error(`SMTP banner: ${banner.code} ${banner.text}`);
  const command = async (line: string): Promise<SmtpReply> => {
    sock.write(`${line}\r\n`);
    return reader.next();
  };
  const ehlo = await command(`EHLO ${helo}`);
  if (ehlo.code !== 250) throw new Error(`EHLO: ${ehlo.code} ${ehlo.text}`);
  let used = false;

  return {
    extensions: ehlo.text.split('\n').slice(1),
    async send(raw, envelope, sendOptions = {}) {
      const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
      const replies: SmtpReply[] = [];
      const run = async (line: string) => {
        const r = await command(line);
        replies.push(r);
        return r;
      };
      if (used) await run('RSET');
      used = true;
      const params = [
        sendOptions.body8bitmime ? ' BODY=8BITMIME' : '',
        sendOptions.smtputf8 ? ' SMTPUTF8' : '',
      ].join('');
      const result: SmtpSendResult = { ok: false, accepted: [], rejected: [], replies };
      result.mail = await run(`MAIL FROM:<${envelope.from}>${params}`);
      if (result.mail.code !== 250) return result;
      for (const rcpt of envelope.to) {
        const r = await run(`RCPT TO:<${rcpt}>`);
        if (r.code === 250 || r.code === 251) result.accepted.push(rcpt);
        else result.rejected.push({ address: rcpt, reply: r });
      }
      if (result.accepted.length === 0) return result;
      const go = await run('DATA');
      if (go.code !== 354) return result;
      sock.write(dataPayload(bytes));
      result.data = await reader.next();
      replies.push(result.data);
      result.ok = result.data.code === 250;
      result.queueId = /queued as ([0-9A-Za-z]+)/.exec(result.data.text)?.[1];
      return result;
    },
    async close() {
      if (!sock.destroyed) {
        try {
          await command('QUIT');
        } catch {
          // the server may already have closed the connection (after a 5xx)
        }
      }
      sock.destroy();
    },
  };
}

/**
 * Send one message over SMTP on its own connection; reply codes are returned,
 * never thrown. Only connection failures throw.
 */
export async function smtpSend(
  raw: Uint8Array | string,
  envelope: SmtpEnvelope,
  options: SmtpOptions & SendOptions = {},
): Promise<SmtpSendResult> {
  const session = await openSmtp(options);
  try {
    return await session.send(raw, envelope, options);
  } finally {
    await session.close();
  }
}

/**
 * Hand a message to Postfix's own `/usr/sbin/sendmail -i -f FROM -- RCPT…`.
 * Note: sendmail exits 0 even when cleanup later rejects the content (that
 * turns into a bounce); judge content over SMTP. Postfix also adds a missing
 * Date/Message-Id/From to locally submitted mail.
 */
export function postfixSendmail(
  raw: Uint8Array | string,
  envelope: SmtpEnvelope,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(POSTFIX_SENDMAIL, ['-i', '-f', envelope.from, '--', ...envelope.to], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    p.stderr.setEncoding('utf8');
    p.stderr.on('data', (d: string) => {
      stderr += d;
    });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stderr }));
    p.stdin.on('error', () => {});
    p.stdin.end(raw);
  });
}

export interface DeliveredMail {
  /** File path in the Maildir's new/ directory. */
  path: string;
  /** Exactly what Postfix stored (LF line endings, trace headers on top). */
  raw: Buffer;
  /** Envelope sender as Postfix recorded it (`Return-Path: <…>`), '' for the null sender. */
  returnPath: string | null;
  /** Envelope recipient(s) (`Delivered-To:`). */
  deliveredTo: string[];
  /** Envelope recipient before any rewriting (`X-Original-To:`). */
  originalTo: string | null;
  /** The header block as text (latin1), for quick regex checks. */
  head: string;
}

/** Read one Maildir file and pull the envelope out of the headers Postfix added. */
export async function readDelivered(file: string): Promise<DeliveredMail> {
  const raw = await readFile(file);
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = end < 0 ? text : text.slice(0, end);
  const values = (name: string) =>
    [...head.matchAll(new RegExp(`^${name}:[ \\t]*(.*)$`, 'gim'))].map((m) =>
      (m[1] ?? '').replace(/\r$/, ''),
    );
  const rp = values('Return-Path')[0];
  return {
    path: file,
    raw,
    returnPath: rp === undefined ? null : rp.replace(/^<(.*)>$/, '$1'),
    deliveredTo: values('Delivered-To'),
    originalTo: values('X-Original-To')[0] ?? null,
    head,
  };
}

export type MailMatcher = string | ((mail: DeliveredMail) => boolean);

/**
 * Wait until a delivered message matches: a string marker is looked for in the
 * raw bytes (use something unique: a recipient, a Message-ID), a function gets
 * the parsed delivery. Rejects after `timeoutMs` (default 15 s).
 *
 * @example
 * const rcpt = `t-${randomUUID()}@oracle.test`;
 * await smtpSend(raw, { from: 'bounce@example.com', to: [rcpt] });
 * const mail = await waitForMail(rcpt);
 * expect(mail.returnPath).toBe('bounce@example.com');
 */
export async function waitForMail(
  match: MailMatcher,
  timeoutMs = 15_000,
  maildir = ORACLE_MAILDIR,
): Promise<DeliveredMail> {
  const deadline = Date.now() + timeoutMs;
  const newDir = path.join(maildir, 'new');
  const seen = new Set<string>(); // files that did not match: read each once
  const test =
    typeof match === 'string'
      ? (m: DeliveredMail) => m.raw.includes(Buffer.from(match, 'utf8'))
      : match;
  for (;;) {
    let files: string[] = [];
    try {
      files = await readdir(newDir);
    } catch {
      // Maildir not created yet: nothing delivered so far
    }
    for (const f of files) {
      if (seen.has(f)) continue;
      seen.add(f);
      let mail: DeliveredMail;
      try {
        mail = await readDelivered(path.join(newDir, f));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EACCES') {
          // files are 0600 vmail: only root (or vmail) can read them
          throw new Error(`cannot read ${newDir}/${f}: run the oracle tests as root`);
        }
        continue; // removed by someone else's clearMaildir()
      }
      if (test(mail)) return mail;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `no delivered mail matching ${typeof match === 'string' ? JSON.stringify(match) : 'predicate'} in ${newDir} within ${timeoutMs} ms`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Delete delivered files (new/ and cur/). The Maildir is shared: by default
 * only files older than `olderThanMs` (0 = all) are removed, so parallel test
 * files are not robbed of mail they are waiting for. Prefer unique markers.
 */
export async function clearMaildir(
  options: { olderThanMs?: number; maildir?: string } = {},
): Promise<number> {
  const maildir = options.maildir ?? ORACLE_MAILDIR;
  const cutoff = Date.now() - (options.olderThanMs ?? 0);
  let removed = 0;
  for (const sub of ['new', 'cur']) {
    const dir = path.join(maildir, sub);
    let files: string[] = [];
    try {
      files = await readdir(dir);
    } catch {
      continue;
    }
    for (const f of files) {
      const p = path.join(dir, f);
      try {
        if ((await stat(p)).mtimeMs <= cutoff) {
          await rm(p, { force: true });
          removed++;
        }
      } catch {
        // already gone
      }
    }
  }
  return removed;
}

/** Reads SMTP replies (multi-line aware) from a socket, one at a time. */
class ReplyReader {
  private buf = '';
  private lines: string[] = [];
  private waiter: (() => void) | undefined;
  private ended: Error | undefined;

  constructor(
    sock: net.Socket,
    private readonly timeoutMs: number,
  ) {
    sock.setEncoding('latin1');
    sock.on('data', (chunk: string) => {
      this.buf += chunk;
      let nl = this.buf.indexOf('\n');
      while (nl >= 0) {
        this.lines.push(this.buf.slice(0, nl).replace(/\r$/, ''));
        this.buf = this.buf.slice(nl + 1);
        nl = this.buf.indexOf('\n');
      }
      this.waiter?.();
    });
    const end = (err?: Error) => {
      this.ended ??= err ?? new Error('SMTP connection closed by the server');
      this.waiter?.();
    };
    sock.on('error', end);
    sock.on('close', () => end());
  }

  /** Next complete reply (`250-…` continuation lines collected until `250 …`). */
  async next(): Promise<SmtpReply> {
    const deadline = Date.now() + this.timeoutMs;
    const collected: string[] = [];
    for (;;) {
      while (this.lines.length > 0) {
        const line = this.lines.shift()!;
        const m = /^(\d{3})([ -])(.*)$/.exec(line);
        if (!m) throw new Error(`SMTP: unparseable reply line ${JSON.stringify(line)}`);
        collected.push(m[3]!);
        if (m[2] === ' ') {
          const code = Number(m[1]);
          const enhanced = /^([245]\.\d{1,3}\.\d{1,3})\b/.exec(collected[0] ?? '')?.[1];
          return { code, ...(enhanced ? { enhanced } : {}), text: collected.join('\n') };
        }
      }
      if (this.ended) throw this.ended;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`SMTP: no reply within ${this.timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(t);
          this.waiter = undefined;
          resolve();
        };
      });
    }
  }
}
