/**
 * `mailhygiene-sendmail` from arguments to exit status: flags → config →
 * stdin → repair → envelope → transport. Exit statuses follow sysexits.h,
 * because that is all PHP mail(), cron and Git look at. Every message that
 * is read and not handed on ends up in the dead-letter directory before the
 * shim exits, with the reason beside it.
 */

import type { Finding } from '../../../lint/index.js';
import type { SendResult, Transport } from '../../../send/index.js';
import { TransportError } from '../../../send/index.js';
import type { Envelope } from '../../../wire/index.js';
import { MailHygieneError } from '../../../wire/index.js';
import { ConfigError, checkTransportInstalled, loadConfig, type SendmailConfig } from './config.js';
import type { DeadLetterRecord } from './dead-letter.js';
import {
  chooseSender,
  mergeRecipients,
  parseRecipientArgs,
  unusableSenderReason,
} from './envelope.js';
import { parseSendmailFlags, type SendmailFlags, UsageError } from './flags.js';
import { createLogger, type ShimLogger } from './log.js';
import { readMessage } from './stdin.js';
import { createConfiguredTransport, LOOP_GUARD_ENV } from './transport.js';

const PROG = 'mailhygiene-sendmail';

/** sysexits.h statuses the shim returns. */
export const EXIT = {
  OK: 0,
  USAGE: 64,
  DATAERR: 65,
  NOUSER: 67,
  UNAVAILABLE: 69,
  SOFTWARE: 70,
  TEMPFAIL: 75,
  CONFIG: 78,
} as const;

export const USAGE = `usage: ${PROG} [-t] [-i|-oi] [-f sender|-r sender] [-F name] [--] [recipient ...]
  -t        also read recipients from To, Cc and Bcc (Bcc is removed from the message)
  -i, -oi   read the message to end of input (else a line with a lone "." ends it)
  -f, -r    envelope sender (bounce address); replaced by envelopeFrom when local or invalid
  -F        sender's full name, used with defaultFrom when the message has no From
  --help    print this help
  accepted and ignored: -odi -odb -odq -oem -oee -oep -oeq -oew -om -v -m -n -U -bm -Ac -Am -B7BIT -B8BITMIME
configuration: $MAILHYGIENE_CONFIG or /etc/mailhygiene.json
`;

/** repair() as the shim calls it (src/repair/repair.ts). */
export type RepairFunction = (
  raw: Uint8Array,
  options: {
    envelopeFrom?: string;
    envelope?: Envelope;
    legacyCharset?: string;
    maxRecipients?: number;
    defaultFrom?: string;
    now?: () => Date;
  },
) => Promise<{ raw: Buffer; envelope?: Envelope; applied: Finding[]; messageId?: string }>;

export interface ShimIo {
  stdin: AsyncIterable<Uint8Array | string>;
  /** Only `--help` writes here (default: stderr). */
  stdout?: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  env: Record<string, string | undefined>;
}

export interface ShimDeps {
  /** Loads repair() (lazily: usage and config errors never need it). */
  loadRepair: () => Promise<RepairFunction>;
  /** Builds the transport; default: from the configuration. */
  createTransport?: (config: SendmailConfig, env: ShimIo['env']) => Promise<Transport>;
  now?: () => Date;
}

/** What a failure needs to be kept and reported. */
interface Failure {
  stage: DeadLetterRecord['stage'];
  exitCode: number;
  reason: string;
  code?: string;
  field?: string;
  temporary?: boolean;
  content: 'original' | 'repaired';
  raw: Buffer;
  envelope?: Envelope;
  messageId?: string;
  applied?: string[];
  transport?: string;
  response?: string;
}

interface Context {
  argv: string[];
  io: ShimIo;
  config: SendmailConfig;
  log: ShimLogger;
  now: () => Date;
}

/**
 * The exit status for a failed hand-over: temporary → 75; a relay
 * certificate that fails verification → 78 (the configuration's `tls`);
 * permanent → 67 when the recipients themselves were refused, else 69.
 */
export function exitCodeForSendError(err: unknown, recipients: readonly string[]): number {
  if (err instanceof TransportError) {
    if (err.temporary) return EXIT.TEMPFAIL;
    if (err.field === 'tls') return EXIT.CONFIG;
    if (err.exitCode === EXIT.NOUSER) return EXIT.NOUSER;
    if (err.rejected && err.rejected.length > 0 && err.rejected.length >= recipients.length) {
      return EXIT.NOUSER;
    }
    if (/^RCPT/i.test(err.command ?? '') && (err.responseCode ?? 0) >= 500) return EXIT.NOUSER;
    return EXIT.UNAVAILABLE;
  }
  // An envelope the transport's own check refused: bad data, not a broken relay.
  if (err instanceof MailHygieneError) return EXIT.DATAERR;
  return EXIT.SOFTWARE;
}

/** `Name <addr>` from config.defaultFrom with the display name from `-F`. */
export function defaultFromWithName(
  defaultFrom: string | undefined,
  fullName: string | undefined,
): string | undefined {
  if (defaultFrom === undefined || fullName === undefined || fullName.trim() === '') {
    return defaultFrom;
  }
  const address = /<([^<>]+)>\s*$/.exec(defaultFrom)?.[1] ?? defaultFrom.trim();
  return `"${fullName.replace(/["\\]/g, '\\$&')}" <${address}>`;
}

/** The object without its undefined members (optional JSON fields stay absent). */
function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function fail(ctx: Context, f: Failure): Promise<number> {
  // What the dead letter's .json and the log line both say about the failure.
  const details = defined({
    code: f.code,
    field: f.field,
    temporary: f.temporary,
    envelope: f.envelope || undefined,
    messageId: f.messageId,
    applied: f.applied || undefined,
    transport: f.transport,
  });
  const record: DeadLetterRecord = {
    time: ctx.now().toISOString(),
    stage: f.stage,
    exitCode: f.exitCode,
    reason: f.reason,
    content: f.content,
    argv: ctx.argv,
    ...details,
    ...defined({ response: f.response }),
  };
  let deadLetter: string;
  try {
    // Loaded only for a failure: a message that is sent never needs fs/promises for it.
    const { writeDeadLetter } = await import('./dead-letter.js');
    deadLetter = await writeDeadLetter(ctx.config.deadLetterDir, f.raw, record);
  } catch (e) {
    // Nothing on disk: tell the caller to keep the message and retry (sendmail's EX_TEMPFAIL).
    const why = `cannot write dead letter in ${ctx.config.deadLetterDir}: ${(e as Error).message}`;
    ctx.io.stderr.write(`${PROG}: ${f.reason}\n${PROG}: ${why}; the message was NOT saved\n`);
    ctx.log.write('error', {
      event: 'lost',
      stage: f.stage,
      reason: f.reason,
      deadLetterError: why,
      exitCode: EXIT.TEMPFAIL,
      ...defined({ envelope: f.envelope || undefined, messageId: f.messageId }),
    });
    return EXIT.TEMPFAIL;
  }
  ctx.io.stderr.write(`${PROG}: ${f.reason} (message kept in ${deadLetter})\n`);
  ctx.log.write('error', {
    event: f.stage === 'repair' ? 'refused' : 'failed',
    stage: f.stage,
    exitCode: f.exitCode,
    reason: f.reason,
    ...details,
    deadLetter,
  });
  return f.exitCode;
}

function errorFields(e: unknown): { reason: string; code?: string; field?: string } {
  if (e instanceof MailHygieneError) {
    return {
      reason: e.message,
      code: e.code,
      ...(e.field !== undefined ? { field: e.field } : {}),
    };
  }
  return { reason: e instanceof Error ? e.message : String(e) };
}

/**
 * Runs the shim and returns its exit status. Never throws for anything
 * about the message; `io` and `deps` are injectable for tests.
 */
export async function runSendmail(argv: string[], io: ShimIo, deps: ShimDeps): Promise<number> {
  if (io.env[LOOP_GUARD_ENV]) {
    io.stderr.write(
      `${PROG}: called by its own sendmail transport: transport.path must be the real MTA's sendmail, not this shim\n`,
    );
    return EXIT.CONFIG;
  }
  let flags: SendmailFlags;
  try {
    flags = parseSendmailFlags(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`${PROG}: ${e.message}\n${USAGE}`);
    return EXIT.USAGE;
  }
  if (flags.help) {
    (io.stdout ?? io.stderr).write(USAGE);
    return EXIT.OK;
  }
  let config: SendmailConfig;
  try {
    config = loadConfig(io.env);
    checkTransportInstalled(config);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    io.stderr.write(`${PROG}: ${e.message}\n`);
    return EXIT.CONFIG;
  }
  const now = deps.now ?? (() => new Date());
  const log = createLogger(config.log, { debug: config.debug, stderr: io.stderr, now });
  const ctx: Context = { argv, io, config, log, now };
  if (flags.ignored.length > 0)
    log.write('debug', { event: 'ignored-options', options: flags.ignored });

  const raw = await readMessage(io.stdin, { stopAtDot: !flags.ignoreDots });
  try {
    return await deliver(ctx, flags, raw, deps);
  } catch (e) {
    // A bug, not a verdict on the message: keep it, report EX_SOFTWARE.
    return fail(ctx, {
      stage: 'internal',
      exitCode: EXIT.SOFTWARE,
      reason: `internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      content: 'original',
      raw,
    });
  }
}

async function deliver(
  ctx: Context,
  flags: SendmailFlags,
  raw: Buffer,
  deps: ShimDeps,
): Promise<number> {
  const { config, log } = ctx;
  const args = parseRecipientArgs(flags.recipients);
  if (!args.ok) {
    return fail(ctx, {
      stage: 'envelope',
      exitCode: EXIT.NOUSER,
      reason: args.reason,
      code: 'INVALID_ENVELOPE_RECIPIENT',
      content: 'original',
      raw,
    });
  }
  const sender = chooseSender(flags.sender, config.envelopeFrom);
  if (sender.replaced && flags.sender !== undefined) {
    log.write('info', {
      event: 'sender-replaced',
      requested: sender.replaced.requested,
      reason: sender.replaced.reason,
      used: sender.from,
    });
  }

  const repair = await deps.loadRepair();
  const options = {
    envelopeFrom: config.envelopeFrom,
    legacyCharset: config.legacyCharset,
    maxRecipients: config.maxRecipients,
    now: ctx.now,
    ...(() => {
      // As sendmail builds From from -F and the sender, but with the fixed, qualified sender.
      const fallback = config.defaultFrom ?? (sender.from === '' ? undefined : sender.from);
      const defaultFrom = defaultFromWithName(fallback, flags.fullName);
      return defaultFrom !== undefined ? { defaultFrom } : {};
    })(),
  };
  let repaired: Awaited<ReturnType<RepairFunction>>;
  try {
    if (!flags.extractRecipients) {
      // Recipients are the arguments only; headers name nobody new (sendmail without -t).
      repaired = await repair(raw, { ...options, envelope: { from: sender.from, to: args.to } });
    } else {
      try {
        // Without an explicit list repair collects To, Cc and Bcc (and removes Bcc).
        repaired = await repair(raw, options);
      } catch (e) {
        // -t with argument recipients and none in the headers is still a valid call.
        if (!(e instanceof MailHygieneError && e.code === 'NO_RECIPIENTS' && args.to.length > 0)) {
          throw e;
        }
        repaired = await repair(raw, { ...options, envelope: { from: sender.from, to: args.to } });
      }
    }
  } catch (e) {
    if (!(e instanceof MailHygieneError)) throw e;
    return fail(ctx, {
      stage: 'repair',
      exitCode: EXIT.DATAERR,
      ...errorFields(e),
      // A refusal of repair says so itself ("repair refused (reason): …"); say it once.
      reason: e.code === 'REPAIR_REFUSED' ? e.message : `refused: ${e.message}`,
      content: 'original',
      raw,
    });
  }

  // -f wins when usable; without it, a usable Return-Path hint repair found is honoured.
  let from = sender.from;
  const hinted = repaired.envelope?.from;
  if (
    flags.sender === undefined &&
    hinted !== undefined &&
    hinted !== '' &&
    unusableSenderReason(hinted) === undefined
  ) {
    from = hinted;
  }
  const to = flags.extractRecipients
    ? mergeRecipients(args.to, repaired.envelope?.to ?? [])
    : args.to;
  const envelope: Envelope = { from, to };
  const messageId = repaired.messageId;
  const applied = repaired.applied.map((f) => f.rule);
  const common = {
    content: 'repaired' as const,
    raw: repaired.raw,
    envelope,
    applied,
    ...(messageId !== undefined ? { messageId } : {}),
  };
  if (to.length === 0 || to.length > config.maxRecipients) {
    return fail(ctx, {
      stage: 'envelope',
      exitCode: EXIT.DATAERR,
      code: to.length === 0 ? 'NO_RECIPIENTS' : 'TOO_MANY_RECIPIENTS',
      reason:
        to.length === 0
          ? 'refused: the message has no recipient'
          : `refused: ${to.length} recipients exceed maxRecipients ${config.maxRecipients}`,
      ...common,
    });
  }

  const transport = await (
    deps.createTransport ?? ((c, env) => createConfiguredTransport(c.transport, env))
  )(config, ctx.io.env);
  let result: SendResult;
  try {
    result = await transport.send({
      raw: repaired.raw,
      envelope,
      ...(messageId ? { messageId } : {}),
    });
  } catch (e) {
    const exitCode = exitCodeForSendError(e, to);
    return fail(ctx, {
      stage: 'transport',
      exitCode,
      ...errorFields(e),
      ...(e instanceof TransportError
        ? {
            temporary: e.temporary,
            ...(e.response !== undefined ? { response: e.response } : {}),
          }
        : {}),
      transport: transport.name,
      ...common,
    });
  } finally {
    await transport.close?.().catch(() => {});
  }

  if (result.rejected.length > 0) {
    // Delivered to some: exit 0 (the caller cannot resend to part of a list), but keep a copy
    // addressed to the refused recipients so nobody is dropped silently.
    const reasons = (result.rejectedErrors ?? []).map((r) => `${r.recipient}: ${r.error.message}`);
    await fail(ctx, {
      stage: 'transport',
      exitCode: EXIT.OK,
      reason: `recipients refused: ${result.rejected.join(', ')}${reasons.length ? ` (${reasons.join('; ')})` : ''}`,
      transport: transport.name,
      ...common,
      envelope: { from, to: result.rejected },
    });
  }
  log.write('info', {
    event: 'sent',
    messageId: messageId ?? null,
    envelope,
    applied,
    transport: transport.name,
    response: result.response ?? null,
    accepted: result.accepted,
    rejected: result.rejected,
  });
  return EXIT.OK;
}
