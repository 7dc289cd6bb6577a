/**
 * Hands messages to the local MTA's sendmail program. No shell is involved:
 * the envelope goes to argv as separate elements after `--`, the bytes go
 * to stdin, the exit status (sysexits.h) says what happened.
 */
import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ownData } from '../wire/index.js';
import { sendmailArgv } from './argv.js';
import { classifySysexit, TransportError } from './error.js';
import { guardRaw } from './raw-guard.js';
import type { OutgoingMessage, SendResult, Transport } from './types.js';

export interface SendmailTransportOptions {
  /** The sendmail program. Default `/usr/sbin/sendmail`. */
  path?: string;
  /** Extra arguments before ours (trusted configuration, e.g. `['-C', '/etc/alt.cf']`). */
  args?: string[];
  /** Kill the program and fail (temporary) after this long. Default 60 000 ms. */
  timeoutMs?: number;
  /** Environment of the program. Default: this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Allow UTF-8 envelope addresses. Only if the program supports them. Default false. */
  smtputf8?: boolean;
}

/** stderr/stdout kept for the error message; a chatty program cannot exhaust memory. */
const MAX_OUTPUT = 16 * 1024;
/** After SIGTERM on timeout, wait this long before SIGKILL. */
const KILL_GRACE_MS = 2000;

function collector() {
  const chunks: Buffer[] = [];
  let size = 0;
  return {
    push(chunk: Buffer) {
      if (size >= MAX_OUTPUT) return;
      const part = chunk.subarray(0, MAX_OUTPUT - size);
      chunks.push(part);
      size += part.length;
    },
    text: () => Buffer.concat(chunks, size).toString('utf8').trim(),
  };
}

/**
 * A transport through the sendmail program (Postfix, Exim, Sendmail, msmtp…):
 * `sendmail [...args] -i -f <from> -- <rcpt>…`. Exit 0 means the MTA queued
 * the message for every recipient; any other status is a `TransportError`
 * (75 EX_TEMPFAIL, 74, 71 temporary; others permanent). A missing program is
 * `TRANSPORT_UNAVAILABLE`.
 *
 * @example
 * ```ts
 * const mailer = createMailer({ transport: sendmailTransport(), envelopeFrom: 'bounces@example.com' })
 * ```
 */
export function sendmailTransport(options: SendmailTransportOptions = {}): Transport {
  // Own data properties only: an inherited `path` or `args` (prototype pollution) is never used.
  options = ownData(options, '', 'INVALID_OPTIONS', 2) as SendmailTransportOptions;
  const path = options.path ?? '/usr/sbin/sendmail';
  const args = [...(options.args ?? [])];
  const timeoutMs = options.timeoutMs ?? 60_000;
  const checkOptions = { smtputf8: options.smtputf8 ?? false };

  async function send(msg: OutgoingMessage): Promise<SendResult> {
    const argv = sendmailArgv(msg.envelope, args, checkOptions);
    const body = await guardRaw(msg.raw);
    return run(argv, body, msg.envelope.to);
  }

  function run(argv: string[], body: Buffer | Readable, rcpts: string[]): Promise<SendResult> {
    return new Promise<SendResult>((resolve, reject) => {
      const child = spawn(path, argv, {
        shell: false,
        stdio: ['pipe', 'pipe', 'pipe'],
        env: options.env ?? process.env,
        windowsHide: true,
      });
      const stderr = collector();
      const stdout = collector();
      let settled = false;
      let timedOut = false;
      let inputError: Error | undefined;
      let killTimer: NodeJS.Timeout | undefined;

      const finish = (err: Error | undefined, result?: SendResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(result!);
      };

      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGTERM');
        killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
        killTimer.unref();
      }, timeoutMs);

      child.stderr.on('data', (c: Buffer) => stderr.push(c));
      child.stdout.on('data', (c: Buffer) => stdout.push(c));

      child.on('error', (err: NodeJS.ErrnoException) => {
        // spawn failures: the program is missing or not executable
        const missing = err.code === 'ENOENT' || err.code === 'EACCES' || err.code === 'ENOTDIR';
        finish(
          new TransportError(
            missing ? 'TRANSPORT_UNAVAILABLE' : 'TRANSPORT_FAILED',
            `cannot run ${path}: ${err.message}`,
            { temporary: !missing, command: path, cause: err },
          ),
        );
      });

      const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
      pipeline(source, child.stdin).catch((err: NodeJS.ErrnoException) => {
        // EPIPE means the program stopped reading; its exit status tells why.
        inputError = err;
        if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_PREMATURE_CLOSE') {
          // The message source itself failed: make sure the MTA never queues a partial message.
          child.kill('SIGTERM');
        }
      });

      child.on('close', (exitCode: number | null, signal: NodeJS.Signals | null) => {
        clearTimeout(killTimer);
        const errText = stderr.text();
        const outText = stdout.text();
        const detail = errText || outText;
        const base = { command: path, ...(errText ? { stderr: errText } : {}) };
        if (timedOut) {
          finish(
            new TransportError(
              'TRANSPORT_FAILED',
              `${path} did not finish within ${timeoutMs} ms`,
              {
                ...base,
                temporary: true,
              },
            ),
          );
        } else if (inputError && !isPipeError(inputError)) {
          finish(
            new TransportError(
              'TRANSPORT_FAILED',
              `reading the message failed: ${inputError.message}`,
              {
                ...base,
                temporary: false,
                cause: inputError,
              },
            ),
          );
        } else if (exitCode === 0 && inputError) {
          // Exit 0 without having read the whole message: a truncated message may be queued.
          finish(
            new TransportError(
              'TRANSPORT_FAILED',
              `${path} exited 0 without reading the whole message`,
              {
                ...base,
                temporary: false,
                cause: inputError,
              },
            ),
          );
        } else if (exitCode === 0) {
          finish(undefined, {
            accepted: [...rcpts],
            rejected: [],
            response: detail || `${path} exited 0`,
          });
        } else if (exitCode === null) {
          finish(
            new TransportError('TRANSPORT_FAILED', `${path} was killed by ${signal}`, {
              ...base,
              temporary: true,
            }),
          );
        } else {
          const cls = classifySysexit(exitCode);
          finish(
            new TransportError(
              cls.code,
              `${path} exited ${exitCode} (${cls.name})${detail ? `: ${detail}` : ''}`,
              { ...base, temporary: cls.temporary, exitCode },
            ),
          );
        }
      });
    });
  }

  return { name: 'sendmail', send };
}

function isPipeError(err: NodeJS.ErrnoException): boolean {
  return err.code === 'EPIPE' || err.code === 'ERR_STREAM_PREMATURE_CLOSE';
}
