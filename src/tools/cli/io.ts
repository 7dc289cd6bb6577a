import { readFile } from 'node:fs/promises';
/** What a CLI command may touch, injectable for tests. */
export interface CliIo {
  stdout: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean };
  stderr: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean };
  stdin: AsyncIterable<Uint8Array | string>;
  env: Record<string, string | undefined>;
}

/** The process's own streams and environment. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

/** Colour only on a terminal and never when NO_COLOR is set (https://no-color.org). */
export function useColour(io: CliIo, stream: CliIo['stdout'] = io.stdout): boolean {
  const noColor = io.env['NO_COLOR'];
  return (
    stream.isTTY === true && (noColor === undefined || noColor === '') && io.env['TERM'] !== 'dumb'
  );
}

/** Reads a whole stream into one Buffer. */
export async function readAll(stream: AsyncIterable<Uint8Array | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream)
    chunks.push(typeof c === 'string' ? Buffer.from(c) : Buffer.from(c));
  return Buffer.concat(chunks);
}

/** sysexits.h codes used by the CLIs. */
export const EX = {
  OK: 0,
  USAGE: 64,
  DATAERR: 65,
  NOINPUT: 66,
  UNAVAILABLE: 69,
  SOFTWARE: 70,
} as const;

/**
 * Reads a message from `file` (`-` is stdin). Resolves to the bytes, or to
 * EX.NOINPUT after telling the user why (`mailhygiene <command>: cannot read …`).
 * Empty input is no input, not a message: a forgotten file name (`lint` then
 * reads an empty stdin in CI) must not be reported as a message without From.
 */
export async function readInput(
  file: string,
  io: CliIo,
  command: string,
): Promise<Buffer | number> {
  let raw: Buffer;
  try {
    raw = file === '-' ? await readAll(io.stdin) : await readFile(file);
  } catch (e) {
    io.stderr.write(
      `mailhygiene ${command}: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`,
    );
    return EX.NOINPUT;
  }
  if (raw.length === 0) {
    const what = file === '-' ? 'standard input' : file;
    io.stderr.write(`mailhygiene ${command}: no input: ${what} is empty (give a message file)\n`);
    return EX.NOINPUT;
  }
  return raw;
}

/**
 * Runs a `node:util` parseArgs wrapper; a usage error is printed with the
 * command's help and becomes EX.USAGE.
 */
export function parseCommand<T>(
  parse: (argv: string[]) => T,
  argv: string[],
  io: CliIo,
  command: string,
  help: string,
): T | number {
  try {
    return parse(argv);
  } catch (e) {
    io.stderr.write(`mailhygiene ${command}: ${(e as Error).message}\n\n${help}`);
    return EX.USAGE;
  }
}
