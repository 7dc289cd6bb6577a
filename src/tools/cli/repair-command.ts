/** `mailhygiene repair [file|-] [-o out] [--envelope-from a@b] [--legacy-charset x] [--json]` */
import { writeFile } from 'node:fs/promises';
import { formatLocation } from '../../lint/index.js';
import type { RepairOptions } from '../../repair/index.js';
import { MailHygieneError } from '../../wire/index.js';
import { type CliIo, EX, parseCommand, readInput, usageError } from './io.js';

export const REPAIR_HELP = `Usage: mailhygiene repair [file|-] [options]

Repairs a raw message that other code wrote (PHP mail(), forms, scripts):
line endings, missing Date/Message-ID/MIME-Version, raw 8-bit headers,
unlabelled or mislabelled text, over-long lines, HTML without a text part,
PHP fingerprints, Return-Path and Bcc fields. Writes the repaired message to
standard output (or -o FILE) and one line per change to standard error.
Ambiguous or injected input is refused and nothing is written.

Options:
  -o, --output FILE        write the repaired message to FILE instead of stdout
  --envelope-from ADDR     bounce address: replaces a local or unqualified envelope sender
  --envelope-to ADDR       an envelope recipient (repeatable; default To, Cc and Bcc)
  --sender ADDR            the envelope sender the message came with (sendmail -f)
  --legacy-charset NAME    charset of 8-bit text that is not UTF-8 (default windows-1252)
  --default-from MAILBOX   From to use when the message has none
  --max-recipients N       refuse more recipients than N (default 100)
  --json                   report changes as JSON on stderr: { applied, envelope }
  -h, --help               show this help

Exit status: 0 repaired (or nothing to do), 64 usage, 65 refused (reason on stderr),
66 unreadable or empty input.
`;

const REPAIR = {
  name: 'repair',
  help: REPAIR_HELP,
  positionals: true,
  flags: {
    output: { type: 'string', short: 'o' },
    'envelope-from': { type: 'string' },
    'envelope-to': { type: 'string', multiple: true },
    sender: { type: 'string' },
    'legacy-charset': { type: 'string' },
    'default-from': { type: 'string' },
    'max-recipients': { type: 'string' },
    json: { type: 'boolean' },
  },
} as const;

/** Runs `repair`; resolves to the exit status. */
export async function runRepairCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(argv, io, REPAIR);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length > 1) return usageError(io, REPAIR, 'one input at a time');
  const options: RepairOptions = {};
  if (values['envelope-from'] !== undefined) options.envelopeFrom = values['envelope-from'];
  if (values.sender !== undefined || values['envelope-to'] !== undefined) {
    options.envelope = {
      ...(values.sender !== undefined && { from: values.sender }),
      ...(values['envelope-to'] !== undefined && { to: values['envelope-to'] }),
    };
  }
  if (values['legacy-charset'] !== undefined) options.legacyCharset = values['legacy-charset'];
  if (values['default-from'] !== undefined) options.defaultFrom = values['default-from'];
  if (values['max-recipients'] !== undefined) {
    const n = Number(values['max-recipients']);
    if (!Number.isInteger(n) || n < 1) {
      io.stderr.write('mailhygiene repair: --max-recipients must be a positive integer\n');
      return EX.USAGE;
    }
    options.maxRecipients = n;
  }
  const file = positionals[0] ?? '-';
  const raw = await readInput(file, io, 'repair');
  if (typeof raw === 'number') return raw;
  // Loaded here so `mailhygiene --help` and the other commands never load the repair path.
  const { repair } = await import('../../repair/repair.js');
  let result: Awaited<ReturnType<typeof repair>>;
  try {
    result = await repair(raw, options);
  } catch (e) {
    if (e instanceof MailHygieneError) {
      if (values.json) {
        io.stderr.write(
          `${JSON.stringify({ refused: { code: e.code, field: e.field, message: e.message } })}\n`,
        );
      } else {
        // The message names the reason already ("repair refused (bare-cr-in-header): …");
        // code and field are for programs, in --json.
        io.stderr.write(`mailhygiene repair: ${e.message}\n`);
      }
      return EX.DATAERR;
    }
    throw e;
  }
  if (values.output !== undefined) await writeFile(values.output, result.raw);
  else io.stdout.write(result.raw);
  if (values.json) {
    io.stderr.write(
      `${JSON.stringify({ applied: result.applied, envelope: result.envelope ?? null })}\n`,
    );
  } else {
    for (const f of result.applied) {
      const where = f.location ? ` [${formatLocation(f.location)}]` : '';
      io.stderr.write(`${f.rule}${where}: ${f.message}\n`);
    }
  }
  return EX.OK;
}
