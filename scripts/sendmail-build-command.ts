/**
 * How to build the `mailhygiene-sendmail` bundle into a directory of one's own
 * (tsup.sendmail.config.ts with another `--out-dir`): the bench and the shim's
 * tests run the real bundle, built the same way `npm run build` builds it.
 */
import { join } from 'node:path';

/** Arguments for `process.execPath` that build the bundle into `outDir`; run with `cwd: repo`. */
export function sendmailBuildArgs(repo: string, outDir: string): string[] {
  return [
    join(repo, 'node_modules/tsup/dist/cli-default.js'),
    '--config',
    'tsup.sendmail.config.ts',
    '--out-dir',
    outDir,
    '--silent',
  ];
}
