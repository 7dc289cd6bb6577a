/**
 * The input side of the base64 stream encoder: a Readable's chunks as the
 * source pushed them.
 *
 * `for await` on a Readable calls `read()`, which returns everything buffered.
 * A source that pushes synchronously inside `_read` (any in-memory stream)
 * pushes the next chunk during that call, so every second chunk came back
 * merged with the one after it: a copy of the whole attachment into fresh
 * 128 KiB allocations (mmap'd, page-faulted) that only a GC frees.
 * `read(readableLength)` returns a lone buffered chunk as it is, with no copy.
 * Everything else mirrors Node's own async iterator (node:internal/streams/
 * readable createAsyncIterator): wait for 'readable', end and errors through
 * `finished`, and the source is destroyed when the reader stops early.
 */
import { finished, type Readable } from 'node:stream';

export async function* readChunks(stream: Readable): AsyncGenerator<Buffer | string> {
  let wake: (() => void) | undefined;
  let error: Error | null | undefined; // undefined: still reading; null: ended
  const onReadable = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  stream.on('readable', onReadable);
  const cleanup = finished(stream, { writable: false }, (err) => {
    error = err ?? null;
    onReadable();
  });
  try {
    for (;;) {
      // `|| undefined`: read(0) would only refill the buffer and never return data.
      const chunk: Buffer | string | null = stream.destroyed
        ? null
        : stream.read(stream.readableLength || undefined);
      if (chunk !== null) yield chunk;
      else if (error) throw error;
      else if (error === null) return;
      else
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
    }
  } finally {
    cleanup();
    stream.off('readable', onReadable);
    // Stopped early or failed: release the source (like `for await`); an ended stream closes itself.
    if (error !== null) stream.destroy();
  }
}
