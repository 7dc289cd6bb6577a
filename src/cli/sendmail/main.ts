#!/usr/bin/env node
/**
 * `mailhygiene-sendmail`: a drop-in sendmail for PHP mail() and friends.
 * php.ini: `sendmail_path = "/usr/local/bin/mailhygiene-sendmail -t -i"`.
 * Reads the message on stdin, repairs it, fixes the envelope sender and hands
 * it to the configured MTA or relay (see the README, "Migrating from PHP mail()").
 */
import { runSendmail } from './sendmail/run.js';
import { stdinChunks } from './sendmail/stdin.js';

runSendmail(
  process.argv.slice(2),
  {
    stdin: stdinChunks(),
    // Lazy: touching process.stderr builds a stream; a successful send never writes to it.
    stderr: { write: (s: string) => process.stderr.write(s) },
    env: process.env,
  },
  { loadRepair: async () => (await import('../repair.js')).repair },
).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Only reached for a failure before the message was read (nothing to keep yet).
    process.stderr.write(
      `mailhygiene-sendmail: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exitCode = 70;
  },
);
