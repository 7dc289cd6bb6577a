#!/usr/bin/env node
/**
 * `mailhygiene-sendmail`: a drop-in sendmail for PHP mail() and friends.
 * php.ini: `sendmail_path = "/usr/local/bin/mailhygiene-sendmail -t -i"`.
 *
 * This bin only starts the program (`sendmail-main.cjs` beside it, built from
 * src/tools/cli/sendmail/main.ts). It starts once per mail, and compiling the
 * program cold costs more than the mail itself, so it compiles the bundle
 * with `vm.Script` and the V8 code cache an earlier successful run left (see
 * ./sendmail/code-cache.ts). Without a usable cache it behaves exactly like
 * `require()` of the bundle.
 */
import { join } from 'node:path';
import { Script } from 'node:vm';
import {
  codeCacheLocation,
  readBundle,
  readCodeCache,
  writeCodeCache,
} from './sendmail/code-cache.js';

const path = join(__dirname, 'sendmail-main.cjs');
const bundle = readBundle(path);
const { identity } = bundle;
const location = identity === undefined ? undefined : codeCacheLocation(path, process.env);
const cachedData = location && identity && readCodeCache(location.file, identity);
// The bundle is Node's CommonJS wrapper function already (scripts/sendmail-bundle.ts).
const script = new Script(bundle.source.toString(), {
  filename: path,
  ...(cachedData ? { cachedData } : {}),
});
if (location && identity && (!cachedData || script.cachedDataRejected)) {
  // After the run, so the cache also holds every function it compiled lazily; only after a
  // success, so a usage or config error does not leave a cache of almost nothing behind.
  process.once('exit', (code) => {
    if (code === 0) writeCodeCache(location, identity, script.createCachedData());
  });
}
const main = script.runInThisContext() as (...bindings: unknown[]) => void;
const mod = { exports: {} };
// The same five bindings as under require(); this require resolves from the same directory.
main.call(mod.exports, mod.exports, require, mod, path, __dirname);
