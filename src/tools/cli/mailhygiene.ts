#!/usr/bin/env node
/**
 * The `mailhygiene` bin: always runs the CLI (./main.ts). It must not ask
 * whether it is the main module by comparing `import.meta.url` with
 * `process.argv[1]`: through npm's bin link (npx, npm scripts, `npm i -g`)
 * argv[1] is the symlink, the comparison fails and the bin did nothing, with
 * exit 0. Like `mailhygiene-sendmail`, this file is only ever run, never imported.
 */
import { EX } from './io.js';
import { main } from './main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`mailhygiene: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = EX.SOFTWARE;
  },
);
