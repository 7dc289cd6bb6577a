/**
 * The `mailhygiene` operator CLI: `lint`, `repair` and `doctor` (their own
 * modules), loaded on demand so `lint` starts fast. The bin that runs it is
 * ./mailhygiene.ts; this module has no side effects, so tests can import it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CliIo, EX, processIo } from './io.js';

const HELP = `Usage: mailhygiene <command> [options]

Commands:
  lint [file…|-]     report hygiene problems in raw messages (exit 0 clean, 2 errors)
  repair [file|-]    write a repaired message; changes on stderr (exit 65 when refused)
  doctor             check the DNS/sending setup of a domain

Options:
  -h, --help         show help (also: mailhygiene <command> --help)
  -v, --version      print the version
`;

type Command = (argv: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  lint: async () => (await import('./lint-command.js')).runLintCommand,
  repair: async () => (await import('./repair-command.js')).runRepairCommand,
  doctor: async () => (await import('./doctor-command.js')).runDoctorCommand,
};

/** Reads the package version (works from src/tools/cli and from the bundled dist/). */
function version(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'mailhygiene' && pkg.version) return pkg.version;
    } catch {
      // not here; look one level up
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

/** Dispatches to a subcommand; resolves to the exit status. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    io.stdout.write(HELP);
    return cmd === undefined ? EX.USAGE : EX.OK;
  }
  if (cmd === '-v' || cmd === '--version') {
    io.stdout.write(`mailhygiene ${version()}\n`);
    return EX.OK;
  }
  const load = COMMANDS[cmd];
  if (!load) {
    io.stderr.write(`mailhygiene: unknown command "${cmd}"\n\n${HELP}`);
    return EX.USAGE;
  }
  return (await load())(rest, io);
}
