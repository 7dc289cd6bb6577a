/**
 * Sending a batch: one pooled SMTP transport, a bounded number of sends at
 * once, temporary failures retried with a growing pause, permanent ones
 * reported, and `close()` at the end so the pool's sockets are released and
 * the process can exit.
 *
 * Offline: a loopback SMTP server stands in for your relay. It answers
 * `451` to the first attempt of every third message (greylisting, a busy
 * relay) and `550` to one unknown mailbox.
 *
 * Run: node --import tsx examples/batch-send.ts
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import {
  createMailer,
  type Mailer,
  type MessageInput,
  smtpTransport,
  TransportError,
} from '../src/index.js';
import { isMain } from './lib/contact-setup.js';

export interface BatchOptions {
  /** Sends in flight at once. Match the pool's maxConnections: more only wait in its queue. */
  concurrency: number;
  /** Attempts per message, the first included. */
  attempts: number;
  /** Pause before the n-th retry: n × backoffMs. */
  backoffMs: number;
}

export interface BatchOutcome {
  sent: Array<{ to: string; messageId: string; attempts: number }>;
  failed: Array<{ to: string; reason: string; temporary: boolean; attempts: number }>;
}

/** Sends `messages` through `mailer`, `concurrency` at a time, retrying temporary failures. */
export async function sendBatch(
  mailer: Mailer,
  messages: MessageInput[],
  options: BatchOptions,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { sent: [], failed: [] };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < messages.length) {
      const message = messages[next++]!;
      const to = String(message.to);
      for (let attempt = 1; ; attempt++) {
        try {
          const { messageId } = await mailer.send(message);
          outcome.sent.push({ to, messageId, attempts: attempt });
          break;
        } catch (e) {
          // Only a TransportError says whether a retry can help; anything else (a refused
          // input, a bug) is final.
          const temporary = e instanceof TransportError && e.temporary;
          if (temporary && attempt < options.attempts) {
            await new Promise((r) => setTimeout(r, attempt * options.backoffMs));
            continue;
          }
          // In production: queue the temporary ones for later instead of dropping them.
          outcome.failed.push({ to, reason: (e as Error).message, temporary, attempts: attempt });
          break;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return outcome;
}

/** A loopback relay: 451 for the first try of every third message, 550 for unknown@. */
export async function startFlakyRelay(): Promise<{
  port: number;
  delivered: string[];
  maxOpen: number;
  open: () => number;
  close: () => Promise<void>;
}> {
  const seen = new Set<string>();
  const state = { delivered: [] as string[], maxOpen: 0, current: 0 };
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true, // loopback only: no DNS query for the client's name
    onConnect(_session, cb) {
      state.current++;
      state.maxOpen = Math.max(state.maxOpen, state.current);
      cb();
    },
    onClose() {
      state.current--;
    },
    onRcptTo(address, _session, cb) {
      const rcpt = address.address;
      if (rcpt.startsWith('unknown@'))
        return cb(Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 }));
      const n = Number(/\d+/.exec(rcpt)?.[0] ?? 0);
      if (n % 3 === 0 && !seen.has(rcpt)) {
        seen.add(rcpt);
        return cb(Object.assign(new Error('4.7.1 Try again later'), { responseCode: 451 }));
      }
      cb();
    },
    onData(stream, session, cb) {
      stream.resume();
      stream.on('end', () => {
        state.delivered.push(...session.envelope.rcptTo.map((r) => r.address));
        cb(null);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    delivered: state.delivered,
    get maxOpen() {
      return state.maxOpen;
    },
    open: () => state.current,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The whole example: 20 messages, 4 at a time, through a pool of 4 connections. */
export async function runBatchExample(): Promise<
  BatchOutcome & { relay: Awaited<ReturnType<typeof startFlakyRelay>> }
> {
  const relay = await startFlakyRelay();
  const concurrency = 4;
  const mailer = createMailer({
    transport: smtpTransport({
      host: '127.0.0.1',
      port: relay.port,
      name: 'app.example.com',
      // One connection per message without `pool`; with it, up to maxConnections stay open
      // and carry message after message until close().
      pool: { maxConnections: concurrency },
    }),
    envelopeFrom: 'bounces@example.com',
  });
  const messages: MessageInput[] = Array.from({ length: 20 }, (_, i) => ({
    from: 'Shop <shop@example.com>',
    to: i === 7 ? 'unknown@example.org' : `kunde${i}@example.org`,
    subject: `Ihre Rechnung ${i}`,
    text: 'Im Anhang Ihre Rechnung.',
  }));
  try {
    return {
      ...(await sendBatch(mailer, messages, { concurrency, attempts: 3, backoffMs: 50 })),
      relay,
    };
  } finally {
    await mailer.close(); // releases the pool's sockets; without it the process would not exit
    await relay.close();
  }
}

if (isMain(import.meta.url)) {
  const r = await runBatchExample();
  const retried = r.sent.filter((s) => s.attempts > 1).length;
  console.log(
    `sent ${r.sent.length} (${retried} after a retry), failed ${r.failed.length}, at most ${r.relay.maxOpen} connections open`,
  );
  for (const f of r.failed)
    console.log(`  ${f.to}: ${f.temporary ? 'temporary' : 'permanent'}: ${f.reason}`);
  const ok =
    r.sent.length === 19 &&
    r.failed.length === 1 &&
    !r.failed[0]!.temporary &&
    r.relay.maxOpen <= 4;
  process.exitCode = ok ? 0 : 1;
}
