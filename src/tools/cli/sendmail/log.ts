/**
 * The shim's log: one JSON object per line, to stderr or appended to a file.
 * One `write` per line on an O_APPEND descriptor, so lines of parallel PHP
 * requests do not interleave. A log that cannot be written never fails a
 * send: the message matters more than the record of it.
 */
import { appendFileSync } from 'node:fs';

type LogLevel = 'info' | 'error' | 'debug';

export interface ShimLogger {
  /** Writes one line `{ time, level, ...fields }`; debug lines only when enabled. */
  write(level: LogLevel, fields: Record<string, unknown>): void;
}

/**
 * A logger for the `log` setting: `'stderr'`, a file path, or undefined (no
 * log lines; errors still reach stderr as plain text through the caller).
 */
export function createLogger(
  destination: string | undefined,
  options: { debug: boolean; stderr: { write(s: string): unknown }; now?: () => Date },
): ShimLogger {
  const now = options.now ?? (() => new Date());
  return {
    write(level, fields) {
      if (destination === undefined) return;
      if (level === 'debug' && !options.debug) return;
      const line = `${JSON.stringify({ time: now().toISOString(), level, ...fields })}\n`;
      if (destination === 'stderr') {
        options.stderr.write(line);
        return;
      }
      try {
        appendFileSync(destination, line, { mode: 0o640 });
      } catch (e) {
        options.stderr.write(
          `mailhygiene-sendmail: cannot write log ${destination}: ${(e as Error).message}\n`,
        );
      }
    },
  };
}
