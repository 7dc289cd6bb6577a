#!/usr/bin/env node
// Runs every examples/*.ts as a standalone program (CI: they must exit 0).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const files = readdirSync('examples')
  .filter((f) => f.endsWith('.ts'))
  .sort();
let failed = 0;
for (const f of files) {
  const outbox = mkdtempSync(join(tmpdir(), 'mh-example-'));
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', join('examples', f)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, OUTBOX: outbox },
    timeout: 120_000,
    encoding: 'utf8',
  });
  const ok = r.status === 0;
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} examples/${f} (${Date.now() - t0} ms, exit ${r.status})`);
  if (!ok) console.log(r.stdout, r.stderr);
}
console.log(`${files.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
