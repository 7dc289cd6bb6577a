/**
 * The sendmail command line as PHP mail(), cron, Git, Mailman and friends use
 * it, parsed by hand: this runs for every mail, and a hand-written loop costs
 * nothing to load. Parsing follows getopt(3), as Sendmail and Postfix do:
 * boolean letters may be grouped (`-ti`), a letter that takes a value takes
 * the rest of its argument or else the next one (`-fa@b` = `-f a@b`).
 *
 * Anything we do not understand is a usage error (exit 64), never silently
 * skipped: `-X logfile` and `-C config` are how CVE-2016-10033-style attacks
 * turn a sender address into a file write, and a shim that quietly ignored an
 * unknown option would hide such an attempt.
 */
import { findUnsafeCodePoint } from '../../../wire/index.js';

/** What the command line asks for. */
export interface SendmailFlags {
  /** `-t`: take recipients from To/Cc/Bcc as well (Bcc is removed from the bytes). */
  extractRecipients: boolean;
  /** `-i` / `-oi`: a line with a lone `.` does not end the message; read to EOF. */
  ignoreDots: boolean;
  /** `-f addr`, `-r addr`: the requested envelope sender (checked later, may be replaced). */
  sender?: string;
  /** `-F name`: full name of the sender, used only when the message has no From. */
  fullName?: string;
  /** Recipient arguments, in order. */
  recipients: string[];
  /** Options accepted for compatibility and ignored, for the debug log. */
  ignored: string[];
  /** `--help`: print the usage and exit 0 (no sendmail has a `--help`, so it means nothing else). */
  help?: true;
}

/** A command line we refuse; `message` is for stderr. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Letters that stand alone and may be grouped: `-t`, `-i`, `-v`, `-U`, `-n`, `-m`. */
const BOOLEAN = new Set(['t', 'i', 'v', 'U', 'n', 'm']);
/** Letters that take a value, attached (`-fa@b`) or as the next argument (`-f a@b`). */
const WITH_VALUE = new Set(['f', 'r', 'F', 'o', 'b', 'A', 'B']);

/**
 * `-o` options that are accepted and ignored. `-oi` is handled (same as `-i`);
 * the others are delivery-mode, error-mode and "me too" switches of
 * Sendmail's configuration that mean nothing to a shim that hands the message
 * on at once and reports errors by exit status. Any other `-o` is refused.
 */
const IGNORED_O = new Set(['di', 'db', 'dq', 'em', 'ee', 'ep', 'eq', 'ew', 'm']);
/** `-B` body types: the shim decides the transfer encoding itself. */
const BODY_TYPES = new Set(['7BIT', '8BITMIME']);

/** Only letters and digits after `-o`, so a refused option can be quoted back safely. */
function shown(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 37)}...` : s);
}

/**
 * Parses sendmail arguments (without `node` and the script path).
 *
 * @throws {UsageError} for an unknown option, a missing value, `-b` modes
 *   other than `-bm`, or no recipient without `-t`.
 * @example
 * ```ts
 * parseSendmailFlags(['-t', '-i', '-f', 'bounce+id=x@example.com'])
 * // → { extractRecipients: true, ignoreDots: true, sender: 'bounce+id=x@example.com', recipients: [], ignored: [] }
 * ```
 */
export function parseSendmailFlags(argv: readonly string[]): SendmailFlags {
  const flags: SendmailFlags = {
    extractRecipients: false,
    ignoreDots: false,
    recipients: [],
    ignored: [],
  };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (arg === '--help') {
      flags.help = true;
      return flags;
    }
    if (arg.length < 2 || arg[0] !== '-') break; // first recipient: options end here
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j]!;
      if (BOOLEAN.has(letter)) {
        if (letter === 't') flags.extractRecipients = true;
        else if (letter === 'i') flags.ignoreDots = true;
        else flags.ignored.push(`-${letter}`);
        continue;
      }
      if (!WITH_VALUE.has(letter)) {
        throw new UsageError(`unknown option -${letter} in ${shown(arg)}`);
      }
      let value: string;
      if (j + 1 < arg.length) {
        value = arg.slice(j + 1);
      } else {
        if (i + 1 >= argv.length) throw new UsageError(`option -${letter} needs a value`);
        value = argv[++i]!;
      }
      applyValue(flags, letter, value);
      break; // the value used up the rest of this argument
    }
  }
  for (; i < argv.length; i++) flags.recipients.push(argv[i]!);
  if (!flags.extractRecipients && flags.recipients.length === 0) {
    throw new UsageError('no recipients given (use -t to read them from the message)');
  }
  return flags;
}

function applyValue(flags: SendmailFlags, letter: string, value: string): void {
  switch (letter) {
    case 'f':
    case 'r':
      // Later wins, as in sendmail; the address is checked when the envelope is built.
      flags.sender = value;
      return;
    case 'F': {
      const cp = findUnsafeCodePoint(value);
      if (cp !== -1) {
        throw new UsageError(
          `-F name contains a control character (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`,
        );
      }
      flags.fullName = value;
      return;
    }
    case 'o':
      if (value === 'i') flags.ignoreDots = true;
      else if (IGNORED_O.has(value)) flags.ignored.push(`-o${value}`);
      else throw new UsageError(`unsupported option -o${shown(value).slice(1, -1)}`);
      return;
    case 'b':
      // -bm is "deliver mail", the default; other modes (-bs SMTP on stdin, -bp, -bv, -bi …) are not offered.
      if (value === 'm') flags.ignored.push('-bm');
      else throw new UsageError(`unsupported mode -b${shown(value).slice(1, -1)} (only -bm)`);
      return;
    case 'A':
      // -Ac / -Am choose submit.cf or sendmail.cf: meaningless here.
      flags.ignored.push(`-A${value}`);
      return;
    case 'B':
      if (BODY_TYPES.has(value.toUpperCase())) flags.ignored.push(`-B${value}`);
      else throw new UsageError(`unsupported body type -B${shown(value).slice(1, -1)}`);
      return;
  }
}
