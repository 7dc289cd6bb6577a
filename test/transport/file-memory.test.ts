import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AtomicFs, realFs } from '../../src/send/atomic-file.js';
import { TransportError } from '../../src/send/error.js';
import { type FileTransportRecord, fileIdFor, fileTransport } from '../../src/send/file.js';
import { memoryTransport } from '../../src/send/memory.js';
import { writeDeadLetter } from '../../src/tools/cli/sendmail/dead-letter.js';
import { chunkedStream, sampleRaw, withTempDir } from './helpers.js';

const envelope = { from: 'bounce@example.com', to: ['erika@example.org', 'max@example.net'] };

describe('fileTransport', () => {
  it('writes <id>.eml with the exact bytes and <id>.json with envelope, Message-ID, date', async () => {
    await withTempDir(async (base) => {
      const dir = join(base, 'out', 'box'); // created on demand
      const t = fileTransport({ dir, now: () => new Date('2026-11-29T13:40:00Z') });
      const raw = sampleRaw();
      const result = await t.send({ raw, envelope, messageId: '<abc.123@example.com>' });
      expect(result.accepted).toEqual(envelope.to);
      expect((await readdir(dir)).sort()).toEqual([
        'abc.123@example.com.eml',
        'abc.123@example.com.json',
      ]);
      expect((await readFile(join(dir, 'abc.123@example.com.eml'))).equals(raw)).toBe(true);
      const rec = JSON.parse(
        await readFile(join(dir, 'abc.123@example.com.json'), 'utf8'),
      ) as FileTransportRecord;
      expect(rec).toEqual({
        id: 'abc.123@example.com',
        messageId: '<abc.123@example.com>',
        envelope,
        date: '2026-11-29T13:40:00.000Z',
        size: raw.length,
      });
    });
  });

  it('streams a Readable to disk and leaves no temp files', async () => {
    await withTempDir(async (dir) => {
      const raw = sampleRaw({ body: 'q'.repeat(300_000) });
      await fileTransport({ dir }).send({
        raw: chunkedStream(raw, 4096),
        envelope,
        messageId: '<s@example.com>',
      });
      expect((await readdir(dir)).sort()).toEqual(['s@example.com.eml', 's@example.com.json']);
      expect((await readFile(join(dir, 's@example.com.eml'))).equals(raw)).toBe(true);
    });
  });

  it('never overwrites: a second message with the same id gets another name', async () => {
    await withTempDir(async (dir) => {
      const t = fileTransport({ dir });
      const first = sampleRaw({ subject: 'first' });
      const second = sampleRaw({ subject: 'second' });
      await t.send({ raw: first, envelope, messageId: '<same@example.com>' });
      await t.send({ raw: second, envelope, messageId: '<same@example.com>' });
      const files = (await readdir(dir)).sort();
      expect(files).toHaveLength(4);
      expect((await readFile(join(dir, 'same@example.com.eml'))).equals(first)).toBe(true);
      const other = files.find((f) => f.endsWith('.eml') && f !== 'same@example.com.eml')!;
      expect(other).toMatch(/^same@example\.com-[0-9a-f]{8}\.eml$/);
      expect((await readFile(join(dir, other))).equals(second)).toBe(true);
      const json = JSON.parse(await readFile(join(dir, other.replace(/\.eml$/, '.json')), 'utf8'));
      expect(json.id).toBe(other.replace(/\.eml$/, ''));
    });
  });

  it('a stray .json with the same id does not pair with a new .eml', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'x@example.com.json'), '{"stray":true}');
      await fileTransport({ dir }).send({
        raw: sampleRaw(),
        envelope,
        messageId: '<x@example.com>',
      });
      const files = await readdir(dir);
      expect(files).not.toContain('x@example.com.eml');
      expect(files.filter((f) => f.endsWith('.eml'))).toHaveLength(1);
      expect(await readFile(join(dir, 'x@example.com.json'), 'utf8')).toBe('{"stray":true}');
    });
  });

  it('ids cannot escape the directory or hide files', () => {
    expect(fileIdFor('<../../etc/passwd@x>')).toBe('_.._etc_passwd@x');
    expect(fileIdFor('<a/b\\c d@example.com>')).toBe('a_b_c_d@example.com');
    expect(fileIdFor('<.hidden@x>')).toBe('hidden@x');
    // Random Message-IDs may start with '-': never a file name that reads as an option.
    expect(fileIdFor('<-R8BsrUY6vYl36lRanzKuA@example.com>')).toBe(
      'R8BsrUY6vYl36lRanzKuA@example.com',
    );
    expect(fileIdFor(undefined)).toMatch(/^[0-9a-f]{24}$/);
    expect(fileIdFor('<>')).toMatch(/^[0-9a-f]{24}$/);
  });

  it('uses a random id without a Message-ID', async () => {
    await withTempDir(async (dir) => {
      await fileTransport({ dir }).send({ raw: sampleRaw(), envelope });
      const files = (await readdir(dir)).sort();
      expect(files).toHaveLength(2);
      expect(files[0]).toMatch(/^[0-9a-f]{24}\.eml$/);
      const rec = JSON.parse(await readFile(join(dir, files[1]!), 'utf8')) as FileTransportRecord;
      expect(rec.messageId).toBeNull();
    });
  });

  it('refuses a Bcc header and writes nothing', async () => {
    await withTempDir(async (dir) => {
      const err = await fileTransport({ dir })
        .send({ raw: sampleRaw({ extraHeader: 'Bcc: x@example.org' }), envelope })
        .catch((e) => e);
      expect(err).toBeInstanceOf(TransportError);
      expect(await readdir(dir)).toEqual([]);
    });
  });

  it('an unwritable directory is a permanent TransportError', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'not-a-dir');
      await writeFile(file, 'x');
      const err = (await fileTransport({ dir: join(file, 'sub') })
        .send({ raw: sampleRaw(), envelope })
        .catch((e) => e)) as TransportError;
      expect(err).toBeInstanceOf(TransportError);
      expect(err.permanent).toBe(true);
    });
  });
});

describe('memoryTransport', () => {
  it('keeps raw, envelope and Message-ID, and clears', async () => {
    const t = memoryTransport();
    const raw = sampleRaw();
    const r = await t.send({ raw, envelope, messageId: '<m@example.com>' });
    await t.send({ raw: chunkedStream(raw), envelope: { from: '', to: ['a@example.org'] } });
    expect(r.accepted).toEqual(envelope.to);
    expect(t.messages).toHaveLength(2);
    expect(t.messages[0]!.raw.equals(raw)).toBe(true);
    expect(t.messages[0]!.messageId).toBe('<m@example.com>');
    expect(t.messages[1]!.raw.equals(raw)).toBe(true);
    expect(t.messages[1]!.envelope).toEqual({ from: '', to: ['a@example.org'] });
    raw.fill(0); // the stored copy is independent of the caller's buffer
    expect(t.messages[0]!.raw.subarray(0, 5).toString()).toBe('From:');
    t.clear();
    expect(t.messages).toHaveLength(0);
  });

  it('applies the same envelope checks as the real transports', async () => {
    const t = memoryTransport();
    await expect(
      t.send({ raw: sampleRaw(), envelope: { from: '-X/tmp/x', to: ['a@example.org'] } }),
    ).rejects.toMatchObject({ code: 'INVALID_ENVELOPE_SENDER' });
    expect(t.messages).toHaveLength(0);
  });
});

/** Real file-system calls, except that the `nth` call of `which` fails with `code`. */
function failingFs(
  which: keyof AtomicFs,
  nth: number,
  code: string,
): AtomicFs & { calls: string[] } {
  let count = 0;
  const calls: string[] = [];
  const fail = () => Object.assign(new Error(`${code}: simulated failure`), { code });
  const fs = {
    calls,
    open: (async (...args: Parameters<AtomicFs['open']>) => {
      calls.push(`open ${String(args[0]).split('/').pop()}`);
      if (which === 'open' && ++count === nth) throw fail();
      return realFs.open(...args);
    }) as AtomicFs['open'],
    link: (async (from: string, to: string) => {
      calls.push(`link ${to.split('/').pop()}`);
      if (which === 'link' && ++count === nth) throw fail();
      return realFs.link(from, to);
    }) as AtomicFs['link'],
    unlink: (async (path: string) => {
      if (which === 'unlink' && ++count === nth) throw fail();
      return realFs.unlink(path);
    }) as AtomicFs['unlink'],
  };
  return fs;
}

describe('fileTransport publishes a message whole or not at all', () => {
  const cases: Array<[string, keyof AtomicFs, number, string, boolean]> = [
    ['disk full while writing the .eml', 'open', 1, 'ENOSPC', true],
    ['disk full while writing the .json (the .eml was written)', 'open', 2, 'ENOSPC', true],
    ['read-only directory when publishing the .json', 'link', 1, 'EROFS', false],
    [
      'read-only directory when publishing the .eml (the .json was published)',
      'link',
      2,
      'EROFS',
      false,
    ],
  ];
  for (const [what, which, nth, code, temporary] of cases) {
    it(`${what}: rejects (${temporary ? 'temporary' : 'permanent'}) and leaves no file`, async () => {
      await withTempDir(async (dir) => {
        const t = fileTransport({ dir }, failingFs(which, nth, code));
        const err = await t.send({ raw: sampleRaw(), envelope, messageId: '<m@example.com>' }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(TransportError);
        expect((err as TransportError).temporary).toBe(temporary);
        expect(await readdir(dir)).toEqual([]);
      });
    });
  }

  it('publishes the .json before the .eml, so a pickup process never sees an .eml alone', async () => {
    await withTempDir(async (dir) => {
      const fs = failingFs('link', 0, 'unused');
      await fileTransport({ dir }, fs).send({
        raw: sampleRaw(),
        envelope,
        messageId: '<o@x.example>',
      });
      expect(fs.calls.filter((c) => c.startsWith('link'))).toEqual([
        'link o@x.example.json',
        'link o@x.example.eml',
      ]);
    });
  });

  it('a retry after a failed send writes the message once', async () => {
    await withTempDir(async (dir) => {
      const msg = { raw: sampleRaw(), envelope, messageId: '<retry@example.com>' };
      await expect(
        fileTransport({ dir }, failingFs('open', 2, 'ENOSPC')).send(msg),
      ).rejects.toThrow();
      await fileTransport({ dir }).send(msg);
      expect((await readdir(dir)).sort()).toEqual([
        'retry@example.com.eml',
        'retry@example.com.json',
      ]);
    });
  });
});

describe('sendmail shim dead letters: whole or not at all', () => {
  const record = {
    time: '2026-11-29T13:40:00.000Z',
    stage: 'transport' as const,
    exitCode: 75,
    reason: 'relay down',
    content: 'repaired' as const,
    argv: ['-t', '-i'],
  };

  for (const [what, which, nth] of [
    ['writing the .json', 'open', 2],
    ['publishing the .eml', 'link', 2],
  ] as const) {
    it(`a failure ${what} throws and leaves neither file nor temp file`, async () => {
      await withTempDir(async (dir) => {
        await expect(
          writeDeadLetter(dir, sampleRaw(), record, failingFs(which, nth, 'ENOSPC')),
        ).rejects.toMatchObject({ code: 'ENOSPC' });
        expect(await readdir(dir)).toEqual([]);
      });
    });
  }

  it('says which file it could not remove, so "NOT saved" is never a lie by omission', async () => {
    await withTempDir(async (dir) => {
      // publishing the .eml fails, then removing the already published .json fails too
      let links = 0;
      const fs: AtomicFs = {
        ...realFs,
        link: (async (a: string, b: string) => {
          if (++links === 2) throw Object.assign(new Error('EROFS: read-only'), { code: 'EROFS' });
          return realFs.link(a, b);
        }) as AtomicFs['link'],
        unlink: (async (p: string) => {
          if (p.endsWith('.json')) throw Object.assign(new Error('EROFS'), { code: 'EROFS' });
          return realFs.unlink(p);
        }) as AtomicFs['unlink'],
      };
      const err = await writeDeadLetter(dir, sampleRaw(), record, fs).catch((e: Error) => e);
      expect((err as Error).message).toMatch(/could not remove the partly published .*\.json/);
      expect((await readdir(dir)).filter((n) => n.endsWith('.eml'))).toEqual([]);
    });
  });
});
