import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readMessage } from '../../src/tools/cli/sendmail/stdin.js';

/** Feeds `text` in chunks of `size` bytes, so the dot line may straddle chunk borders. */
function chunks(text: string | Buffer, size: number): Readable {
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text, 'latin1');
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size));
  return Readable.from(parts);
}

const read = (text: string, stopAtDot: boolean, size = 3) =>
  readMessage(chunks(text, size), { stopAtDot }).then((b) => b.toString('latin1'));

describe('readMessage', () => {
  it.each([1, 2, 3, 7, 1000])(
    'ends at a lone "." line without -i (chunk size %i)',
    async (size) => {
      expect(await read('Subject: a\n\nline\n.\nafter\n', true, size)).toBe('Subject: a\n\nline\n');
      expect(await read('Subject: a\r\n\r\nline\r\n.\r\nafter\r\n', true, size)).toBe(
        'Subject: a\r\n\r\nline\r\n',
      );
      // a final "." without a line end ends it too
      expect(await read('Subject: a\n\nline\n.', true, size)).toBe('Subject: a\n\nline\n');
    },
  );

  it('keeps dots that are not a whole line, and does not undo dot-stuffing', async () => {
    const text = 'S: a\n\n.leading\n..two\n. space\n.\r.\nend\n';
    expect(await read(text, true)).toBe(text);
  });

  it('reads to EOF with -i, lone dots included', async () => {
    const text = 'Subject: a\n\nline\n.\nafter\n';
    expect(await read(text, false)).toBe(text);
  });

  it('keeps 8-bit bytes and CRLF exactly', async () => {
    const raw = Buffer.from('Subject: Gr\xfc\xdfe\r\n\r\n\xe4\xf6\xfc\r\n', 'latin1');
    const out = await readMessage(chunks(raw, 5), { stopAtDot: false });
    expect(out.equals(raw)).toBe(true);
  });

  it('stops reading at the dot: a stream that never ends does not block', async () => {
    async function* endless() {
      yield Buffer.from('Subject: x\n\nbody\n.\n');
      await new Promise(() => {}); // never resolves: the reader must not wait for it
    }
    expect((await readMessage(endless(), { stopAtDot: true })).toString()).toBe(
      'Subject: x\n\nbody\n',
    );
  });
});
