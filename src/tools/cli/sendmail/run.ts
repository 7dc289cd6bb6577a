/**
 * `mailhygiene-sendmail` from arguments to exit status: flags → config →
 * stdin → repair → envelope → transport. Exit statuses follow sysexits.h,
 * because that is all PHP mail(), cron and Git look at. Every message that
 * is read and not handed on ends up in the dead-letter directory before the
 * shim exits, with the reason beside it.
 */

import type { Finding } from '../../../lint/index.js';
import type { SendResult, Transport } from '../../../send/index.js';
import { EX as EXIT, TransportError } from '../../../send/index.js';
import type { Envelope } from '../../../wire/index.js';
import { MailHygieneError } from '../../../wire/index.js';
import { ConfigError, checkTransportInstalled, loadConfig, type SendmailConfig } from './config.js';
import type { DeadLetterRecord } from './dead-letter.js';
import {
  chooseSender,
  mergeRecipients,
  parseRecipientArgs,
  type SenderChoice,
  unusableSenderReason,
} from './envelope.js';
import { parseSendmailFlags, type SendmailFlags, UsageError } from './flags.js';
import { createLogger, type ShimLogger } from './log.js';
import { readMessage } from './stdin.js';
import { createConfiguredTransport, LOOP_GUARD_ENV } from './transport.js';

const PROG = 'mailhygiene-sendmail';

const USAGE = `usage: ${PROG} [-t] [-i|-oi] [-f sender|-r sender] [-F name] [--] [recipient ...]
  -t        also read recipients from To, Cc and Bcc (Bcc is removed from the message)
  -i, -oi   read the message to end of input (else a line with a lone "." ends it)
  -f, -r    envelope sender (bounce address); replaced by envelopeFrom when local or invalid
  -F        sender's full name, used with defaultFrom when the message has no From
  --help    print this help
  accepted and ignored: -odi -odb -odq -oem -oee -oep -oeq -oew -om -v -m -n -U -bm -Ac -Am -B7BIT -B8BITMIME
configuration: $MAILHYGIENE_CONFIG or /etc/mailhygiene.json
`;

/** repair() as the shim calls it (src/repair/repair.ts). */
type RepairFunction = (
  raw: Uint8Array,
  options: {
    envelopeFrom?: string;
    envelope?: Envelope;
    legacyCharset?: string;
    maxRecipients?: number;
    defaultFrom?: string;
    now?: () => Date;
    envelopeIfNoRecipients?: Envelope;
  },
) => Promise<RepairResult>;

/** What the shim reads of repair()'s result. */
interface RepairResult {
  raw: Buffer;
  envelope?: Envelope;
  applied: Finding[];
  messageId?: string;
}

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

/** What the steps after repair share: the repaired message and the envelope it goes out with. */
interface Outgoing {
  raw: Buffer;
  envelope: Envelope;
  messageId?: string;
  /** Rule ids of the repairs, for the log and the dead letter. */
  applied: string[];
}

/**
 * flags → envelope decision → repair → envelope check → hand-over → log. Each
 * step returns its result or the exit status of a failure it has already
 * reported (a number).
 */
async function deliver(
  ctx: Context,
  flags: SendmailFlags,
  raw: Buffer,
  deps: ShimDeps,
): Promise<number> {
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
  const sender = decideSender(ctx, flags);
  const repaired = await repairMessage(ctx, flags, raw, deps, { from: sender.from, to: args.to });
  if (typeof repaired === 'number') return repaired;
  const out = outgoing(flags, sender.from, args.to, repaired);
  const refused = checkRecipientCount(ctx, out);
  if (refused !== undefined) return refused;
  return handOver(ctx, deps, out);
}

/** The reverse-path from -f/-r (the shared decision, see chooseSender); a replaced -f is logged. */
function decideSender(ctx: Context, flags: SendmailFlags): SenderChoice {
  const sender = chooseSender(flags.sender, ctx.config.envelopeFrom);
  if (sender.replaced && flags.sender !== undefined) {
    ctx.log.write('info', {
      event: 'sender-replaced',
      requested: sender.replaced.requested,
      reason: sender.replaced.reason,
      used: sender.from,
    });
  }
  return sender;
}

/** repair()'s options: the configuration, and From as sendmail builds it from -F and the sender. */
function repairOptions(ctx: Context, flags: SendmailFlags, sender: string) {
  const { config } = ctx;
  // As sendmail builds From from -F and the sender, but with the fixed, qualified sender.
  const fallback = config.defaultFrom ?? (sender === '' ? undefined : sender);
  const defaultFrom = defaultFromWithName(fallback, flags.fullName);
  return {
    envelopeFrom: config.envelopeFrom,
    legacyCharset: config.legacyCharset,
    maxRecipients: config.maxRecipients,
    now: ctx.now,
    ...(defaultFrom !== undefined ? { defaultFrom } : {}),
  };
}

/**
 * Repairs the message against the envelope decided up front. Without -t the
 * recipients are the arguments only (headers name nobody new); with -t repair
 * collects To, Cc and Bcc (and removes Bcc), and argument recipients make a
 * message whose headers name nobody still valid (`envelopeIfNoRecipients`).
 */
async function repairMessage(
  ctx: Context,
  flags: SendmailFlags,
  raw: Buffer,
  deps: ShimDeps,
  given: Envelope,
): Promise<RepairResult | number> {
  const repair = await deps.loadRepair();
  const options = repairOptions(ctx, flags, given.from);
  try {
    if (!flags.extractRecipients) return await repair(raw, { ...options, envelope: given });
    return await repair(
      raw,
      given.to.length > 0 ? { ...options, envelopeIfNoRecipients: given } : options,
    );
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
}

/**
 * The envelope the message goes out with: -f wins when usable; without it, the
 * sender repair settled on (a usable Return-Path hint, the bounce address as
 * repair writes it). With -t, argument recipients come first, then the headers'.
 */
function outgoing(
  flags: SendmailFlags,
  sender: string,
  argRecipients: string[],
  repaired: RepairResult,
): Outgoing {
  let from = sender;
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
    ? mergeRecipients(argRecipients, repaired.envelope?.to ?? [])
    : argRecipients;
  return {
    raw: repaired.raw,
    envelope: { from, to },
    applied: repaired.applied.map((f) => f.rule),
    ...(repaired.messageId !== undefined ? { messageId: repaired.messageId } : {}),
  };
}

/** What a failure after repair reports about the message. */
function repairedFailure(out: Outgoing) {
  return { content: 'repaired' as const, ...out };
}

/** Refuses an envelope with no recipient or more than maxRecipients; undefined when it is fine. */
function checkRecipientCount(ctx: Context, out: Outgoing): Promise<number> | undefined {
  const { to } = out.envelope;
  const max = ctx.config.maxRecipients;
  if (to.length > 0 && to.length <= max) return undefined;
  return fail(ctx, {
    stage: 'envelope',
    exitCode: EXIT.DATAERR,
    code: to.length === 0 ? 'NO_RECIPIENTS' : 'TOO_MANY_RECIPIENTS',
    reason:
      to.length === 0
        ? 'refused: the message has no recipient'
        : `refused: ${to.length} recipients exceed maxRecipients ${max}`,
    ...repairedFailure(out),
  });
}

/** Sends through the configured transport and reports the outcome (exit status). */
async function handOver(ctx: Context, deps: ShimDeps, out: Outgoing): Promise<number> {
  const transport = await (
    deps.createTransport ?? ((c, env) => createConfiguredTransport(c.transport, env))
  )(ctx.config, ctx.io.env);
  let result: SendResult;
  try {
    result = await transport.send({
      raw: out.raw,
      envelope: out.envelope,
      ...(out.messageId ? { messageId: out.messageId } : {}),
    });
  } catch (e) {
    return fail(ctx, {
      stage: 'transport',
      exitCode: exitCodeForSendError(e, out.envelope.to),
      ...errorFields(e),
      ...(e instanceof TransportError
        ? {
            temporary: e.temporary,
            ...(e.response !== undefined ? { response: e.response } : {}),
          }
        : {}),
      transport: transport.name,
      ...repairedFailure(out),
    });
  } finally {
    await transport.close?.().catch(() => {});
  }
  if (result.rejected.length > 0) await keepRejected(ctx, out, result, transport.name);
  ctx.log.write('info', {
    event: 'sent',
    messageId: out.messageId ?? null,
    envelope: out.envelope,
    applied: out.applied,
    transport: transport.name,
    response: result.response ?? null,
    accepted: result.accepted,
    rejected: result.rejected,
  });
  return EXIT.OK;
}

/**
 * Delivered to some: exit 0 (the caller cannot resend to part of a list), but a
 * copy addressed to the refused recipients is kept so nobody is dropped silently.
 */
async function keepRejected(
  ctx: Context,
  out: Outgoing,
  result: SendResult,
  transport: string,
): Promise<void> {
  const reasons = (result.rejectedErrors ?? []).map((r) => `${r.recipient}: ${r.error.message}`);
  await fail(ctx, {
    stage: 'transport',
    exitCode: EXIT.OK,
    reason: `recipients refused: ${result.rejected.join(', ')}${reasons.length ? ` (${reasons.join('; ')})` : ''}`,
    transport,
    ...repairedFailure(out),
    envelope: { from: out.envelope.from, to: result.rejected },
  });
}
