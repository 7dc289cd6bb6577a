/**
 * The embedded default: each message becomes `<id>.eml` (the exact bytes)
 * plus `<id>.json` (envelope, Message-ID, date). The message is published
 * whole or not at all (src/send/atomic-file.ts): the `.json` appears
 * first and the `.eml` last, so a pickup process that finds an `.eml` always
 * finds its `.json`; a failed send leaves neither, nor any temp file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ownData } from '../wire/index.js';
import { assertEnvelope, type EnvelopeCheckOptions } from './argv.js';
import {
  type AtomicFs,
  isExists,
  linkAll,
  realFs,
  removeTemps,
  writeSyncedTemp,
} from './atomic-file.js';
import { TransportError } from './error.js';
import { guardRaw } from './raw-guard.js';
import type { OutgoingMessage, SendResult, Transport } from './types.js';

export interface FileTransportOptions extends EnvelopeCheckOptions {
  /** Directory for the files; created if missing. Default `./outbox`. */
  dir?: string;
  /** Clock for the `date` field. */
  now?: () => Date;
}

/** What `<id>.json` holds. */
export interface FileTransportRecord {
  id: string;
  messageId: string | null;
  envelope: { from: string; to: string[] };
  /** When the message was written (ISO 8601). */
  date: string;
  /** Size of `<id>.eml` in octets. */
  size: number;
}

/**
 * A file name stem from a Message-ID: `<a.b@example.com>` → `a.b@example.com`.
 * Everything outside `[A-Za-z0-9._@+-]` becomes `_`, so no path separator,
 * `..` component or hidden file can come out of it. Without a usable
 * Message-ID a random id is used.
 */
export function fileIdFor(messageId: string | undefined): string {
  const stem = (messageId ?? '')
    .replace(/^<|>$/g, '')
    .replace(/[^A-Za-z0-9._@+-]/g, '_')
    .replace(/^[.-]+/, '')
    .slice(0, 200);
  return stem.length > 0 ? stem : randomBytes(12).toString('hex');
}

/**
 * A transport that writes messages to a directory. `link()` publishes
 * fully written temp files under their final names and fails if a name is
 * taken, so nothing is ever overwritten or seen half-written; a taken name
 * gets a random suffix. A send that rejects left nothing behind, so a retry
 * cannot deliver the message twice.
 *
 * @example
 * ```ts
 * const mailer = createMailer({ transport: fileTransport({ dir: './outbox' }) })
 * ```
 */
export function fileTransport(
  options: FileTransportOptions = {},
  /** @internal for tests: the file-system calls, to make one fail. */
  fs: AtomicFs = realFs,
): Transport {
  // Own data properties only: an inherited `dir` (prototype pollution) is never used.
  options = ownData(options, '', 'INVALID_OPTIONS', 1) as FileTransportOptions;
  const dir = resolve(options.dir ?? './outbox');
  const now = options.now ?? (() => new Date());
  const checkOptions = { smtputf8: options.smtputf8 ?? false };

  async function send(msg: OutgoingMessage): Promise<SendResult> {
    assertEnvelope(msg.envelope, checkOptions);
    const raw = await guardRaw(msg.raw);
    try {
      await mkdir(dir, { recursive: true });
      const eml = await writeSyncedTemp(dir, raw, fs);
      const base = fileIdFor(msg.messageId);
      try {
        for (let attempt = 0; ; attempt++) {
          const id = attempt === 0 ? base : `${base}-${randomBytes(4).toString('hex')}`;
          const record: FileTransportRecord = {
            id,
            messageId: msg.messageId ?? null,
            envelope: { from: msg.envelope.from, to: [...msg.envelope.to] },
            date: now().toISOString(),
            size: eml.size,
          };
          const json = await writeSyncedTemp(
            dir,
            Buffer.from(`${JSON.stringify(record, null, 2)}\n`),
            fs,
          );
          const emlPath = join(dir, `${id}.eml`);
          try {
            // .json first, .eml last: a pickup process that finds the .eml finds its record.
            await linkAll(
              [
                { temp: json.path, final: join(dir, `${id}.json`) },
                { temp: eml.path, final: emlPath },
              ],
              fs,
            );
          } catch (err) {
            // A name taken by an earlier message: nothing of ours stays; try another id.
            if (isExists(err) && attempt < 5) continue;
            throw err;
          } finally {
            await removeTemps([json.path], fs);
          }
          return { accepted: [...msg.envelope.to], rejected: [], response: `saved ${emlPath}` };
        }
      } finally {
        await removeTemps([eml.path], fs);
      }
    } catch (err) {
      if (err instanceof TransportError) throw err;
      const code = (err as NodeJS.ErrnoException | null)?.code;
      // Full disk or quota may clear up; permissions and bad paths will not.
      const temporary =
        code === 'ENOSPC' || code === 'EDQUOT' || code === 'EMFILE' || code === 'EAGAIN';
      throw new TransportError(
        'TRANSPORT_FAILED',
        `cannot write to ${dir}: ${(err as Error).message}`,
        {
          temporary,
          cause: err,
        },
      );
    }
  }

  return { name: 'file', send };
}
