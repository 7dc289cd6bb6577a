import { readFile } from 'node:fs/promises';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { EX } from '../../send/index.js';

/** sysexits.h codes (one table, in send/, which reads sendmail's). */
export { EX };

/**
 * What a CLI command may touch, injectable for tests. A command that needs
 * less takes a `Pick` of it (doctor reads no stdin).
 */
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
export function useColour(
  io: Pick<CliIo, 'stdout' | 'env'>,
  stream: CliIo['stdout'] = io.stdout,
): boolean {
  const noColor = io.env['NO_COLOR'];
  return (
    stream.isTTY === true && (noColor === undefined || noColor === '') && io.env['TERM'] !== 'dumb'
  );
}

/** Reads a whole stream into one Buffer. */
async function readAll(stream: AsyncIterable<Uint8Array | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream)
    chunks.push(typeof c === 'string' ? Buffer.from(c) : Buffer.from(c));
  return Buffer.concat(chunks);
}

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

/** A command's flags, for `node:util` parseArgs; `-h/--help` is added by {@link parseCommand}. */
type Flags = NonNullable<ParseArgsConfig['options']>;

const HELP_FLAG = { help: { type: 'boolean', short: 'h' } } as const;

type Parsed<O extends Flags, P extends boolean> = ReturnType<
  typeof parseArgs<{
    args: string[];
    options: O & typeof HELP_FLAG;
    strict: true;
    allowPositionals: P;
  }>
>;

/**
 * Parses a command's arguments. `--help` prints the help and resolves to
 * EX.OK; a usage error is printed with the help and becomes EX.USAGE.
 * Otherwise the flag values and the positionals.
 */
export function parseCommand<O extends Flags, P extends boolean>(
  argv: string[],
  io: Pick<CliIo, 'stdout' | 'stderr'>,
  command: { name: string; help: string; flags: O; positionals: P },
): Parsed<O, P> | number {
  let parsed: Parsed<O, P>;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: command.positionals,
      options: { ...command.flags, ...HELP_FLAG },
    }) as Parsed<O, P>;
  } catch (e) {
    return usageError(io, command, (e as Error).message);
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout.write(command.help);
    return EX.OK;
  }
  return parsed;
}

/** Prints `mailhygiene <command>: <message>` and the command's help; resolves to EX.USAGE. */
export function usageError(
  io: Pick<CliIo, 'stderr'>,
  command: { name: string; help: string },
  message: string,
): number {
  io.stderr.write(`mailhygiene ${command.name}: ${message}\n\n${command.help}`);
  return EX.USAGE;
}
