/**
 * Closing a pooled mailer: mail still queued is temporary (no server saw
 * it), close() before the pool exists stops sends that are still composing
 * from opening one, and every socket is released.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TransportError } from '../../src/send/error.js';
import { createMailer } from '../../src/send/mailer.js';
import { smtpTransport } from '../../src/send/smtp.js';
import { startSmtpServer, type TestServer } from './smtp-server-helper.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const message = (i: number) => ({
  from: 'Shop <shop@example.com>',
  to: `kunde${i}@example.org`,
  subject: `Bestellung ${i}`,
  text: 'Danke.',
});

/** A loopback server that counts connections opened and closed, and is slow to accept data. */
async function countingServer(dataDelayMs: number) {
  const counts = { opened: 0, closed: 0, data: 0, accepted: 0 };
  const server: TestServer = await startSmtpServer({
    onConnect(_session, cb) {
      counts.opened++;
      cb();
    },
    onClose() {
      counts.closed++;
    },
    onData(stream, _session, cb) {
      counts.data++;
      stream.resume();
      stream.on('end', () =>
        setTimeout(() => {
          counts.accepted++;
          cb(null);
        }, dataDelayMs),
      );
    },
  });
  cleanups.push(() => server.close());
  return { server, counts };
}

function pooledMailer(port: number) {
  return createMailer({
    transport: smtpTransport({
      host: '127.0.0.1',
      port,
      name: 'client.example.com',
      pool: { maxConnections: 1 },
    }),
    envelopeFrom: 'bounces@example.com',
  });
}

/** Waits until `cond` holds (bounded), for the server to see a client's FIN. */
async function eventually(cond: () => boolean, ms = 3000): Promise<void> {
  for (let waited = 0; !cond() && waited < ms; waited += 20) {
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('closing a pooled mailer', () => {
  it('mail still queued when the pool closes is temporary, not permanent', async () => {
    const { server, counts } = await countingServer(200);
    const mailer = pooledMailer(server.port);
    const sends = [0, 1, 2, 3].map((i) =>
      mailer.send(message(i)).then(
        () => 'sent' as const,
        (e: unknown) => e,
      ),
    );
    // once the first message is on the wire, the rest wait in the pool's queue
    await eventually(() => counts.data > 0);
    await mailer.close();
    const outcomes = await Promise.all(sends);
    const failed = outcomes.filter((o): o is TransportError => o !== 'sent');
    expect(failed.length).toBeGreaterThan(0);
    for (const err of failed) {
      expect(err).toBeInstanceOf(TransportError);
      expect(err.temporary).toBe(true);
    }
    // what was reported sent was received, and nothing else
    expect(counts.accepted).toBe(outcomes.length - failed.length);
    await eventually(() => counts.closed === counts.opened);
    expect(counts.closed).toBe(counts.opened);
  });

  it('close() before the first send opened the pool: sends still composing open nothing', async () => {
    const { server, counts } = await countingServer(0);
    const mailer = pooledMailer(server.port);
    const composing = [0, 1, 2, 3, 4].map((i) => mailer.send(message(i)).catch((e: unknown) => e));
    await mailer.close();
    const outcomes = await Promise.all(composing);
    for (const err of outcomes) {
      expect(err).toBeInstanceOf(TransportError);
      expect(err).toMatchObject({ temporary: true, field: 'closed' });
    }
    await expect(mailer.send(message(9))).rejects.toMatchObject({ field: 'closed' });
    await new Promise((r) => setTimeout(r, 100));
    expect(counts.opened).toBe(0);
    expect(counts.data).toBe(0);
  });

  it('a closed smtpTransport refuses to send instead of opening a new pool', async () => {
    const { server, counts } = await countingServer(0);
    const t = smtpTransport({ host: '127.0.0.1', port: server.port, pool: true });
    await t.close!();
    const raw = Buffer.from('From: a@example.com\r\nTo: b@example.org\r\n\r\nx\r\n');
    await expect(
      t.send({ raw, envelope: { from: 'a@example.com', to: ['b@example.org'] } }),
    ).rejects.toMatchObject({ temporary: true, field: 'closed' });
    expect(counts.opened).toBe(0);
  });
});
