/**
 * The bundled shim with its V8 code cache, as PHP runs it: the cache is made
 * after the first successful run and used by the next, and whatever state the
 * cache is in, the shim writes the same message, the same exit status and
 * nothing on stderr.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAMP_PREFIX } from '../../scripts/sendmail-bundle.js';
import { buildShim, removeSandboxes, runShim, sandbox } from './support/shim.js';

let bin: string;
beforeAll(async () => {
  bin = await buildShim();
}, 60_000);
afterAll(removeSandboxes);

/** Needs repairs (LF, PHP header, 8-bit subject) but nothing random: same bytes every run. */
const MAIL = Buffer.from(
  [
    'To: erika@example.org',
    'Subject: Grüße aus Köln',
    'From: Web Shop <shop@example.com>',
    'Date: Sun, 29 Nov 2026 10:00:00 +0000',
    'Message-ID: <order-10457.1@example.com>',
    'X-PHP-Originating-Script: 33:contact.php',
    '',
    'Hallo Erika,',
    'vielen Dank für Ihre Bestellung.',
    '',
  ].join('\n'),
  'utf8',
);

/** Runs the shim on MAIL with this cache directory; returns exit status, stderr and the .eml. */
async function send(cacheDir: string) {
  const s = await sandbox();
  const r = await runShim(bin, ['-t', '-i'], MAIL, {
    MAILHYGIENE_CONFIG: s.configPath,
    MAILHYGIENE_CACHE_DIR: cacheDir,
  });
  const files = await s.files(s.outbox);
  // Exactly the published pair: the process ended after the transport's clean-up, not during it.
  expect(
    readdirSync(s.outbox)
      .map((n) => n.replace(/^.*\./, ''))
      .sort(),
  ).toEqual(['eml', 'json']);
  return { code: r.code, stderr: r.stderr, eml: files.map((f) => f.eml.toString('latin1')) };
}

const cacheFiles = (dir: string) =>
  existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.v8cache')) : [];

describe('mailhygiene-sendmail with its V8 code cache', () => {
  it('is built as a loader and an ASCII-only, stamped program without import()', () => {
    const program = readFileSync(join(dirname(bin), 'sendmail-main.cjs'), 'latin1');
    expect(program).toMatch(/^[\x00-\x7f]*$/);
    expect(program).not.toMatch(/\bimport\(/);
    expect(program.trimEnd().split('\n').pop()).toMatch(
      new RegExp(`^${STAMP_PREFIX}[0-9a-f]{64}$`),
    );
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('refuses to run when the program file is started directly', async () => {
    const s = await sandbox();
    const r = await runShim(join(dirname(bin), 'sendmail-main.cjs'), ['-t', '-i'], MAIL, {
      MAILHYGIENE_CONFIG: s.configPath,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('run the bin');
    expect(await s.files(s.outbox)).toEqual([]);
  });

  it('writes the cache after the first success, then uses it; the message is the same each time', async () => {
    const dir = join((await sandbox()).dir, 'cache');
    const uncached = await send('off');
    expect(uncached).toMatchObject({ code: 0, stderr: '' });
    expect(uncached.eml).toHaveLength(1);

    const first = await send(dir);
    expect(first).toEqual(uncached);
    const [file] = cacheFiles(dir);
    expect(file).toBeDefined();
    const made = statSync(join(dir, file!));

    const second = await send(dir);
    expect(second).toEqual(uncached);
    // Accepted, not rewritten: a rewrite would be a new file (rename).
    const after = statSync(join(dir, file!));
    expect([after.ino, after.mtimeMs]).toEqual([made.ino, made.mtimeMs]);
    expect(cacheFiles(dir)).toEqual([file]);
  });

  it('writes no cache after a usage or config error', async () => {
    const dir = join((await sandbox()).dir, 'cache');
    const usage = await runShim(bin, ['-x'], MAIL, { MAILHYGIENE_CACHE_DIR: dir });
    expect(usage.code).toBe(64);
    const config = await runShim(bin, ['-t', '-i'], MAIL, {
      MAILHYGIENE_CACHE_DIR: dir,
      MAILHYGIENE_CONFIG: join(dir, 'missing.json'),
    });
    expect(config.code).toBe(78);
    expect(cacheFiles(dir)).toEqual([]);
  });

  it('replaces a damaged or foreign cache silently and sends as usual', async () => {
    const dir = join((await sandbox()).dir, 'cache');
    const reference = await send(dir);
    const [file] = cacheFiles(dir);
    const path = join(dir, file!);
    const good = readFileSync(path);
    // Bytes flipped inside V8's payload (past its own header): V8 would crash on them.
    const flipped = Buffer.from(good);
    for (let i = good.length >> 1; i < flipped.length; i += 997) flipped[i]! ^= 0x5a;
    const foreign = Buffer.concat([Buffer.from('mailhygiene-v8-cache 2\nother\n'), good]);
    for (const bad of [flipped, good.subarray(0, good.length >> 1), foreign, Buffer.alloc(0)]) {
      writeFileSync(path, bad, { mode: 0o600 });
      expect(await send(dir)).toEqual(reference);
      expect(readFileSync(path).length).toBeGreaterThan(1000); // a good one was written again
    }
  });

  it('sends as usual when the cache directory cannot be made', async () => {
    const s = await sandbox();
    const notADir = join(s.dir, 'file');
    writeFileSync(notADir, 'x');
    const r = await send(join(notADir, 'cache'));
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.eml).toHaveLength(1);
  });
});
