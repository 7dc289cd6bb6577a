/**
 * The program behind `mailhygiene-sendmail`, a drop-in sendmail for PHP
 * mail() and friends (php.ini: `sendmail_path = "/usr/local/bin/mailhygiene-sendmail -t -i"`).
 * Reads the message on stdin, repairs it, fixes the envelope sender and hands
 * it to the configured MTA or relay (see the README, "Migrating from PHP mail()").
 *
 * Built as `dist/cli/sendmail-main.cjs`; the bin `dist/cli/sendmail.cjs`
 * (src/tools/cli/sendmail.ts) runs it through a V8 code cache.
 */
import { EX } from '../../../send/index.js';
import { runSendmail } from './run.js';
import { stdinChunks } from './stdin.js';

let wroteOutput = false;
runSendmail(
  process.argv.slice(2),
  {
    stdin: stdinChunks(),
    // Lazy: touching process.stderr builds a stream; a successful send never writes to it.
    stderr: {
      write: (s: string) => {
        wroteOutput = true;
        return process.stderr.write(s);
      },
    },
    stdout: {
      write: (s: string) => {
        wroteOutput = true;
        return process.stdout.write(s);
      },
    },
    env: process.env,
  },
  { loadRepair: async () => (await import('../../../repair/repair.js')).repair },
).then(
  (code) => {
    process.exitCode = code;
    if (!wroteOutput) setImmediate(() => exitWhenIdle(code));
  },
  (err: unknown) => {
    // Only reached for a failure before the message was read (nothing to keep yet).
    process.stderr.write(
      `mailhygiene-sendmail: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exitCode = EX.SOFTWARE;
  },
);

/**
 * Ends the process now if nothing keeps Node's event loop alive any more, the
 * moment Node would end it by itself, but without its teardown of the whole
 * heap first (about a tenth of the shim's CPU time). Anything still under way
 * (an SMTP QUIT, a closing pipe) keeps the normal exit; so does any output on
 * stdout or stderr, which is asynchronous for pipes on some systems.
 */
function exitWhenIdle(code: number): void {
  if (process.getActiveResourcesInfo().length === 0) process.exit(code);
}
