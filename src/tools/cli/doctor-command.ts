/**
 * `mailhygiene doctor`: runs `doctor()` from the command line. Human output
 * (colour only on a TTY and never with NO_COLOR) or `--json`; exit 0 when
 * everything passes, 1 with warnings only, 2 with failures, 64 for usage
 * errors and 66 for an unreadable key file (sysexits.h).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { MailHygieneError } from '../../wire/index.js';
import { type DoctorOptions, doctor, exitCodeOf, formatReport } from '../doctor/index.js';

export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

const EX_USAGE = 64;
const EX_NOINPUT = 66;

export const DOCTOR_USAGE = `Usage: mailhygiene doctor --helo NAME --envelope-from ADDR --from ADDR [options]

Checks the DNS side of your sending setup: HELO, PTR/FCrDNS, MX, SPF, DKIM, DMARC.

  --helo NAME              HELO/EHLO name of the sending MTA (required)
  --ip ADDR                public IP the mail leaves from (enables PTR and SPF evaluation)
  --envelope-from ADDR     envelope sender / bounce address (required)
  --from ADDR              From address (required)
  --dkim-selector SEL      DKIM selector to check
  --dkim-domain DOMAIN     DKIM d= domain (default: the From domain)
  --dkim-key FILE          PEM private key; checked against the published key
  --dns-server HOST[:PORT] DNS server to ask (repeatable; default: the system's)
  --timeout MS             per-query timeout in milliseconds (default 5000)
  --json                   print the report as JSON
  -h, --help               show this help

Exit status: 0 all checks pass, 1 warnings, 2 failures, 64 usage error, 66 unreadable --dkim-key file.
`;

/** Whether to colour output: only on a TTY, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(io: Pick<CommandIo, 'env' | 'isTTY'>): boolean {
  const noColor = io.env.NO_COLOR;
  return io.isTTY && (noColor === undefined || noColor === '') && io.env.TERM !== 'dumb';
}

function usageError(io: CommandIo, message: string): number {
  io.stderr.write(`mailhygiene doctor: ${message}\n\n${DOCTOR_USAGE}`);
  return EX_USAGE;
}

/**
 * Runs the doctor command.
 *
 * @example
 * ```ts
 * const code = await runDoctorCommand(['--helo', 'mail.example.com', '--envelope-from', 'b@example.com',
 *   '--from', 'n@example.com', '--json'], { stdout: process.stdout, stderr: process.stderr,
 *   env: process.env, isTTY: Boolean(process.stdout.isTTY) });
 * process.exitCode = code;
 * ```
 */
export async function runDoctorCommand(argv: string[], io: CommandIo): Promise<number> {
  const args = argv[0] === 'doctor' ? argv.slice(1) : argv;
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        helo: { type: 'string' },
        ip: { type: 'string' },
        'envelope-from': { type: 'string' },
        from: { type: 'string' },
        'dkim-selector': { type: 'string' },
        'dkim-domain': { type: 'string' },
        'dkim-key': { type: 'string' },
        'dns-server': { type: 'string', multiple: true },
        timeout: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    return usageError(io, (e as Error).message);
  }
  if (values.help) {
    io.stdout.write(DOCTOR_USAGE);
    return 0;
  }
  const str = (k: string): string | undefined =>
    typeof values[k] === 'string' ? (values[k] as string) : undefined;
  const helo = str('helo');
  const envelopeFrom = str('envelope-from');
  const from = str('from');
  const missing = [
    helo ? '' : '--helo',
    envelopeFrom ? '' : '--envelope-from',
    from ? '' : '--from',
  ].filter(Boolean);
  if (missing.length > 0 || !helo || !envelopeFrom || !from) {
    return usageError(io, `missing ${missing.join(', ')}`);
  }

  const timeoutText = str('timeout');
  const timeoutMs = timeoutText === undefined ? 5000 : Number(timeoutText);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
    return usageError(io, `--timeout must be a positive integer (ms), got "${timeoutText}"`);
  const servers = (values['dns-server'] as string[] | undefined) ?? [];

  const options: DoctorOptions = { helo, envelopeFrom, from, resolver: { servers, timeoutMs } };
  const ip = str('ip');
  if (ip !== undefined) options.ip = ip;

  const selector = str('dkim-selector');
  const keyFile = str('dkim-key');
  if (selector === undefined && (str('dkim-domain') !== undefined || keyFile !== undefined)) {
    return usageError(io, '--dkim-domain and --dkim-key need --dkim-selector');
  }
  if (selector !== undefined) {
    const domain = str('dkim-domain') ?? from.replace(/^.*@/, '').split('>', 1)[0]!;
    options.dkim = { selector, domain };
    if (keyFile !== undefined) {
      try {
        options.dkim.privateKey = await readFile(keyFile, 'utf8');
      } catch (e) {
        io.stderr.write(
          `mailhygiene doctor: cannot read --dkim-key ${keyFile}: ${(e as Error).message}\n`,
        );
        return EX_NOINPUT;
      }
    }
  }

  let report: Awaited<ReturnType<typeof doctor>>;
  try {
    report = await doctor(options);
  } catch (e) {
    if (e instanceof MailHygieneError) return usageError(io, e.message);
    throw e;
  }
  if (values.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const title = `${helo} sending as ${envelopeFrom} / From ${from}`;
    io.stdout.write(formatReport(report, { color: useColor(io), title }));
  }
  return exitCodeOf(report);
}
