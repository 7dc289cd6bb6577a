/**
 * A lazy load that fails for want of file descriptors (EMFILE) must not
 * break the process for good: Node keeps a failed `import()` in its module
 * map, so the loader must not depend on it. Real EMFILE, in a child process
 * with a low descriptor limit.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./fixtures/emfile-child.ts', import.meta.url));

describe('lazy loads (nodemailer, HTML-to-text) under a file-descriptor shortage', () => {
  it('fail once as a typed, temporary TransportError and work on the next attempt', () => {
    const r = spawnSync(
      'sh',
      ['-c', 'ulimit -n 256 && exec "$0" --import tsx "$1"', process.execPath, CHILD],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.stderr).toBe('');
    const { starved, recovered, starvedHtml, recoveredHtml } = JSON.parse(
      r.stdout.trim().split('\n').at(-1)!,
    );
    expect(starved).toMatchObject({
      ok: false,
      name: 'TransportError',
      code: 'TRANSPORT_UNAVAILABLE',
      temporary: true,
    });
    expect(starved.message).toMatch(/EMFILE/);
    expect(recovered).toEqual({ ok: true });
    expect(starvedHtml).toMatchObject({ ok: false, name: 'TransportError', temporary: true });
    expect(recoveredHtml).toEqual({ ok: true });
  });
});
