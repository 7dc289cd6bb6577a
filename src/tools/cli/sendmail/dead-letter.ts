/**
 * The dead-letter directory: every message the shim did not hand on is kept
 * here, `<id>.eml` (the bytes) plus `<id>.json` (why, when, the envelope),
 * so that nothing PHP handed over is ever lost. A dead letter appears whole
 * or not at all (src/send/atomic-file.ts: synced temp files, then
 * `link()`, the `.json` first and the `.eml` last), mode 0600: they hold
 * other people's mail.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type AtomicFs,
  linkAll,
  realFs,
  removeTemps,
  writeSyncedTemp,
} from '../../../send/index.js';

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
 * @throws the file-system error when the directory cannot be written; then
 *   neither file was left (or the message says which one could not be
 *   removed), and the caller must report the message as not saved (exit 75).
 */
export async function writeDeadLetter(
  dir: string,
  raw: Buffer,
  record: DeadLetterRecord,
  /** @internal for tests: the file-system calls, to make one fail. */
  fs: AtomicFs = realFs,
): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Sortable by time; pid and random bytes keep parallel PHP requests apart.
  const stamp = record.time.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const id = `${stamp}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const eml = join(dir, `${id}.eml`);
  const temps: Array<string | undefined> = [];
  try {
    temps.push((await writeSyncedTemp(dir, raw, fs)).path);
    const json = await writeSyncedTemp(
      dir,
      Buffer.from(`${JSON.stringify(record, null, 2)}\n`),
      fs,
    );
    temps.push(json.path);
    // Both or neither; the .eml last, so whoever finds it finds the reason beside it.
    await linkAll(
      [
        { temp: json.path, final: join(dir, `${id}.json`) },
        { temp: temps[0]!, final: eml },
      ],
      fs,
    );
  } finally {
    await removeTemps(temps, fs);
  }
  return eml;
}
