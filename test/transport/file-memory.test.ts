import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TransportError } from '../../src/transport/error.js';
import { type FileTransportRecord, fileIdFor, fileTransport } from '../../src/transport/file.js';
import { memoryTransport } from '../../src/transport/memory.js';
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
