/**
 * The dead-letter directory: every message the shim did not hand on is kept
 * here, `<id>.eml` (the bytes) plus `<id>.json` (why, when, the envelope),
 * so that nothing PHP handed over is ever lost. Files appear atomically (a
 * synced temp file, then `link()` under the final name), `.eml` first, mode
 * 0600: they hold other people's mail.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { publishFile } from '../../transport/atomic-file.js';

/** What `<id>.json` says about a dead letter. */
export interface DeadLetterRecord {
  /** When the shim gave up (ISO 8601). */
  time: string;
  /** `repair` (refused as it is), `envelope`, `transport` (hand-over failed) or `internal`. */
  stage: 'repair' | 'envelope' | 'transport' | 'internal';
  /** The exit status the shim returned. */
  exitCode: number;
  /** MailHygieneError/TransportError code, where there is one. */
  code?: string;
  /** e.g. `duplicate-header:from`. */
  field?: string;
  /** Human-readable reason. */
  reason: string;
  /** True when a later retry may succeed (transport stage). */
  temporary?: boolean;
  /** `original`: the bytes as received; `repaired`: the bytes that would have been sent. */
  content: 'original' | 'repaired';
  envelope?: { from: string; to: string[] };
  messageId?: string;
  /** The shim's arguments, to replay the call. */
  argv: string[];
  /** Rule ids repair applied (transport stage). */
  applied?: string[];
  transport?: string;
  response?: string;
}

/**
 * Writes `raw` and its record into `dir` (created if missing, mode 0700).
 * Returns the path of the `.eml`.
 *
 * @throws the file-system error when the directory cannot be written; the
 *   caller must then report the message as not delivered (exit 75).
 */
export async function writeDeadLetter(
  dir: string,
  raw: Buffer,
  record: DeadLetterRecord,
): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Sortable by time; pid and random bytes keep parallel PHP requests apart.
  const stamp = record.time.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const id = `${stamp}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const eml = join(dir, `${id}.eml`);
  await publishFile(dir, eml, raw);
  await publishFile(
    dir,
    join(dir, `${id}.json`),
    Buffer.from(`${JSON.stringify(record, null, 2)}\n`),
  );
  return eml;
}
