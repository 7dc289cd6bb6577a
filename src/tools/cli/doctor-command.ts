/**
 * `mailhygiene doctor`: runs `doctor()` from the command line. Human output
 * (colour only on a TTY and never with NO_COLOR) or `--json`; exit 0 when
 * everything passes, 1 with warnings only, 2 with failures, 64 for usage
 * errors and 66 for an unreadable key file (sysexits.h).
 */
import { readFile } from 'node:fs/promises';
import { MailHygieneError } from '../../wire/index.js';
import { type DoctorOptions, doctor, exitCodeOf, formatReport } from '../doctor/index.js';
import { type CliIo, EX, parseCommand, usageError, useColour } from './io.js';

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

const DOCTOR = {
  name: 'doctor',
  help: DOCTOR_USAGE,
  positionals: false,
  flags: {
    helo: { type: 'string' },
    ip: { type: 'string' },
    'envelope-from': { type: 'string' },
    from: { type: 'string' },
    'dkim-selector': { type: 'string' },
    'dkim-domain': { type: 'string' },
    'dkim-key': { type: 'string' },
    'dns-server': { type: 'string', multiple: true },
    timeout: { type: 'string' },
    json: { type: 'boolean' },
  },
} as const;

/**
 * Runs the doctor command.
 *
 * @example
 * ```ts
 * const code = await runDoctorCommand(['--helo', 'mail.example.com', '--envelope-from', 'b@example.com',
 *   '--from', 'n@example.com', '--json'], processIo());
 * process.exitCode = code;
 * ```
 */
export async function runDoctorCommand(
  argv: string[],
  io: Pick<CliIo, 'stdout' | 'stderr' | 'env'>,
): Promise<number> {
  const args = argv[0] === 'doctor' ? argv.slice(1) : argv;
  const parsed = parseCommand(args, io, DOCTOR);
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  const helo = values.helo;
  const envelopeFrom = values['envelope-from'];
  const from = values.from;
  const missing = [
    helo ? '' : '--helo',
    envelopeFrom ? '' : '--envelope-from',
    from ? '' : '--from',
  ].filter(Boolean);
  if (missing.length > 0 || !helo || !envelopeFrom || !from) {
    return usageError(io, DOCTOR, `missing ${missing.join(', ')}`);
  }

  const timeoutText = values.timeout;
  const timeoutMs = timeoutText === undefined ? 5000 : Number(timeoutText);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
    return usageError(
      io,
      DOCTOR,
      `--timeout must be a positive integer (ms), got "${timeoutText}"`,
    );
  const servers = values['dns-server'] ?? [];

  const options: DoctorOptions = { helo, envelopeFrom, from, resolver: { servers, timeoutMs } };
  const ip = values.ip;
  if (ip !== undefined) options.ip = ip;

  const selector = values['dkim-selector'];
  const keyFile = values['dkim-key'];
  if (selector === undefined && (values['dkim-domain'] !== undefined || keyFile !== undefined)) {
    return usageError(io, DOCTOR, '--dkim-domain and --dkim-key need --dkim-selector');
  }
  if (selector !== undefined) {
    const domain = values['dkim-domain'] ?? from.replace(/^.*@/, '').split('>', 1)[0]!;
    options.dkim = { selector, domain };
    if (keyFile !== undefined) {
      try {
        options.dkim.privateKey = await readFile(keyFile, 'utf8');
      } catch (e) {
        io.stderr.write(
          `mailhygiene doctor: cannot read --dkim-key ${keyFile}: ${(e as Error).message}\n`,
        );
        return EX.NOINPUT;
      }
    }
  }

  let report: Awaited<ReturnType<typeof doctor>>;
  try {
    report = await doctor(options);
  } catch (e) {
    if (e instanceof MailHygieneError) return usageError(io, DOCTOR, e.message);
    throw e;
  }
  if (values.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const title = `${helo} sending as ${envelopeFrom} / From ${from}`;
    io.stdout.write(formatReport(report, { color: useColour(io), title }));
  }
  return exitCodeOf(report);
}
