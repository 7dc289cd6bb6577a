import { readFileSync } from 'node:fs';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TransportError } from '../../src/send/error.js';
import { loadNodemailer, SMTP_TIMEOUT_DEFAULTS, smtpTransport } from '../../src/send/smtp.js';
import type { Transport } from '../../src/send/types.js';
import { chunkedStream, sampleRaw } from './helpers.js';
import {
  smtpError,
  startScriptedServer,
  startSmtpServer,
  type TestServer,
} from './smtp-server-helper.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function server(...args: Parameters<typeof startSmtpServer>): Promise<TestServer> {
  const s = await startSmtpServer(...args);
  cleanups.push(() => s.close());
  return s;
}

function transportFor(port: number, extra: Partial<Parameters<typeof smtpTransport>[0]> = {}) {
  const t = smtpTransport({
    host: '127.0.0.1',
    port,
    name: 'client.example.com',
    connectionTimeout: 2000,
    greetingTimeout: 2000,
    socketTimeout: 2000,
    ...extra,
  });
  cleanups.push(() => t.close!());
  return t;
}

async function rejection(p: Promise<unknown>): Promise<TransportError> {
  const err = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TransportError);
  return err as TransportError;
}

const envelope = { from: 'bounce@example.com', to: ['erika@example.org', 'max@example.net'] };

describe('smtpTransport against smtp-server on loopback', () => {
  it('delivers the exact bytes with the explicit envelope', async () => {
    const s = await server();
    const raw = sampleRaw();
    const result = await transportFor(s.port).send({ raw, envelope });
    expect(result.accepted).toEqual(envelope.to);
    expect(result.rejected).toEqual([]);
    expect(result.response).toMatch(/^250 /);
    expect(s.received).toHaveLength(1);
    expect(s.received[0]!.from).toBe(envelope.from);
    expect(s.received[0]!.to).toEqual(envelope.to);
    expect(s.received[0]!.raw.equals(raw)).toBe(true);
  });

  it('delivers a stream, dot-stuffing and 8-bit bytes intact', async () => {
    const s = await server();
    const raw = sampleRaw({ body: '.leading dot\r\n..two dots\r\nGrüße — ünïcödé' });
    await transportFor(s.port).send({ raw: chunkedStream(raw, 11), envelope });
    expect(s.received[0]!.raw.equals(raw)).toBe(true);
  });

  it('declares BODY=8BITMIME only when the bytes are 8-bit', async () => {
    const bodies: Array<string | false> = [];
    const s = await server({
      onMailFrom(address, _session, cb) {
        const args = (address as { args?: Record<string, string> | false }).args;
        const body = args ? args.BODY : undefined;
        bodies.push(body ?? false);
        cb();
      },
    });
    const t = transportFor(s.port);
    await t.send({ raw: sampleRaw({ body: 'plain ascii' }), envelope });
    await t.send({ raw: sampleRaw({ body: 'Grüße' }), envelope });
    expect(bodies).toEqual([false, '8BITMIME']);
  });

  it('SMTPUTF8: UTF-8 envelopes only when enabled, then declared to the server', async () => {
    const utf8Flags: boolean[] = [];
    const s = await server({
      onMailFrom(address, _session, cb) {
        const args = (address as { args?: Record<string, unknown> | false }).args;
        utf8Flags.push(Boolean(args ? args.SMTPUTF8 : false));
        cb();
      },
    });
    const utf8Envelope = { from: 'jõser@jõgeva.ee', to: ['ünï@exämple.org'] };
    await expect(
      transportFor(s.port).send({ raw: sampleRaw(), envelope: utf8Envelope }),
    ).rejects.toMatchObject({ code: 'SMTPUTF8_REQUIRED', field: 'envelope.from' });
    expect(utf8Flags).toEqual([]); // refused before connecting

    await transportFor(s.port, { smtputf8: true }).send({
      raw: sampleRaw(),
      envelope: utf8Envelope,
    });
    await transportFor(s.port, { smtputf8: true }).send({ raw: sampleRaw(), envelope });
    expect(utf8Flags).toEqual([true, false]);
    expect(s.received[0]!.from).toBe('jõser@jõgeva.ee');
    expect(s.received[0]!.to).toEqual(['ünï@exämple.org']);
  });

  it('421 on connect is a temporary error and nothing is reported sent', async () => {
    const s = await server({
      onConnect(_session, cb) {
        cb(smtpError(421, 'mx.example.com Service not available, closing channel'));
      },
    });
    const err = await rejection(transportFor(s.port).send({ raw: sampleRaw(), envelope }));
    expect(err.temporary).toBe(true);
    expect(err.permanent).toBe(false);
    expect(err.responseCode).toBe(421);
    expect(s.dataStarted).toBe(0);
  });

  it('451 after DATA is temporary', async () => {
    const s = await server({
      onData(stream, _session, cb) {
        stream.resume();
        stream.on('end', () => cb(smtpError(451, '4.3.0 Local error in processing')));
      },
    });
    const err = await rejection(transportFor(s.port).send({ raw: sampleRaw(), envelope }));
    expect(err.temporary).toBe(true);
    expect(err.responseCode).toBe(451);
    expect(err.enhancedCode).toBe('4.3.0');
    expect(err.command).toBe('DATA');
  });

  it('554 after DATA is permanent', async () => {
    const s = await server({
      onData(stream, _session, cb) {
        stream.resume();
        stream.on('end', () => cb(smtpError(554, '5.7.1 Message rejected as spam')));
      },
    });
    const err = await rejection(transportFor(s.port).send({ raw: sampleRaw(), envelope }));
    expect(err.permanent).toBe(true);
    expect(err.responseCode).toBe(554);
    expect(err.enhancedCode).toBe('5.7.1');
  });

  it('550 on one of two RCPTs: sent to the other, the refused one in rejected', async () => {
    const s = await server({
      onRcptTo(address, _session, cb) {
        if (address.address === 'max@example.net') cb(smtpError(550, '5.1.1 User unknown'));
        else cb();
      },
    });
    const result = await transportFor(s.port).send({ raw: sampleRaw(), envelope });
    expect(result.accepted).toEqual(['erika@example.org']);
    expect(result.rejected).toEqual(['max@example.net']);
    expect(result.rejectedErrors).toHaveLength(1);
    expect(result.rejectedErrors![0]!.recipient).toBe('max@example.net');
    expect(result.rejectedErrors![0]!.error.permanent).toBe(true);
    expect(result.rejectedErrors![0]!.error.responseCode).toBe(550);
    expect(s.received[0]!.to).toEqual(['erika@example.org']);
  });

  it('450 on one RCPT: that recipient is rejected with a temporary reason', async () => {
    const s = await server({
      onRcptTo(address, _session, cb) {
        if (address.address === 'max@example.net') cb(smtpError(450, '4.2.1 Mailbox busy'));
        else cb();
      },
    });
    const result = await transportFor(s.port).send({ raw: sampleRaw(), envelope });
    expect(result.rejected).toEqual(['max@example.net']);
    expect(result.rejectedErrors![0]!.error.temporary).toBe(true);
  });

  it('550 on every RCPT is a permanent error listing them, and no DATA is sent', async () => {
    const s = await server({
      onRcptTo(_address, _session, cb) {
        cb(smtpError(550, '5.1.1 User unknown'));
      },
    });
    const err = await rejection(transportFor(s.port).send({ raw: sampleRaw(), envelope }));
    expect(err.permanent).toBe(true);
    expect(err.responseCode).toBe(550);
    expect(err.rejected).toEqual(envelope.to);
    expect(s.dataStarted).toBe(0);
    expect(s.received).toHaveLength(0);
  });

  it('a 4xx among all-refused recipients makes the whole failure temporary', async () => {
    const s = await server({
      onRcptTo(address, _session, cb) {
        cb(
          address.address === 'erika@example.org'
            ? smtpError(452, '4.2.2 Mailbox full')
            : smtpError(550, '5.1.1 User unknown'),
        );
      },
    });
    const err = await rejection(transportFor(s.port).send({ raw: sampleRaw(), envelope }));
    expect(err.temporary).toBe(true);
  });

  it('550 on MAIL FROM is permanent', async () => {
    const s = await server({
      onMailFrom(_address, _session, cb) {
        cb(smtpError(550, '5.7.1 Sender rejected'));
      },
    });
    const err = await rejection(transportFor(s.port).send({ raw: sampleRaw(), envelope }));
    expect(err.permanent).toBe(true);
    expect(err.responseCode).toBe(550);
    expect(s.dataStarted).toBe(0);
  });

  it('a connection dropped mid-DATA is temporary and not reported sent', async () => {
    const s = await startScriptedServer('drop-mid-data');
    cleanups.push(() => s.close());
    const err = await rejection(
      transportFor(s.port).send({ raw: sampleRaw({ body: 'z'.repeat(500_000) }), envelope }),
    );
    expect(s.dataStarted).toBe(1);
    expect(err.temporary).toBe(true);
    expect(err.responseCode).toBeUndefined();
  });

  it('a server silent after the data is a temporary timeout', async () => {
    const s = await startScriptedServer('silent-after-data');
    cleanups.push(() => s.close());
    const started = Date.now();
    const err = await rejection(
      transportFor(s.port, { socketTimeout: 300 }).send({ raw: sampleRaw(), envelope }),
    );
    expect(s.dataStarted).toBe(1);
    expect(err.temporary).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a server that never greets is a temporary timeout', async () => {
    const s = await startScriptedServer('silent-greeting');
    cleanups.push(() => s.close());
    const err = await rejection(
      transportFor(s.port, { greetingTimeout: 300 }).send({ raw: sampleRaw(), envelope }),
    );
    expect(err.temporary).toBe(true);
  });

  it('connection refused is temporary', async () => {
    // a port that was just free
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const err = await rejection(transportFor(port).send({ raw: sampleRaw(), envelope }));
    expect(err.temporary).toBe(true);
  });

  it('requireTLS against a server without STARTTLS fails and sends nothing', async () => {
    // hideSTARTTLS alone still answers STARTTLS (with smtp-server's own, expired, certificate).
    const s = await server({ disabledCommands: ['STARTTLS'] });
    const err = await rejection(
      transportFor(s.port, { requireTLS: true }).send({ raw: sampleRaw(), envelope }),
    );
    expect(err.code).toBe('TRANSPORT_FAILED');
    expect(s.received).toHaveLength(0);
  });

  it('STARTTLS works and delivers the same bytes', async () => {
    let secured = false;
    const s = await server({
      hideSTARTTLS: false,
      onSecure(_socket, _session, cb) {
        secured = true;
        cb();
      },
    });
    const raw = sampleRaw();
    await transportFor(s.port, { requireTLS: true, tls: { rejectUnauthorized: false } }).send({
      raw,
      envelope,
    });
    expect(secured).toBe(true);
    expect(s.received[0]!.raw.equals(raw)).toBe(true);
  });

  it('authenticates when auth is given', async () => {
    const logins: string[] = [];
    const s = await server({
      authOptional: false,
      allowInsecureAuth: true,
      onAuth(auth, _session, cb) {
        logins.push(`${auth.username}:${auth.password}`);
        if (auth.password === 'right') cb(null, { user: auth.username });
        else cb(smtpError(535, '5.7.8 Authentication credentials invalid'));
      },
    });
    await transportFor(s.port, { auth: { user: 'app', pass: 'right' } }).send({
      raw: sampleRaw(),
      envelope,
    });
    const err = await rejection(
      transportFor(s.port, { auth: { user: 'app', pass: 'wrong' } }).send({
        raw: sampleRaw(),
        envelope,
      }),
    );
    expect(err.permanent).toBe(true);
    expect(err.responseCode).toBe(535);
    expect(logins).toEqual(['app:right', 'app:wrong']);
    expect(s.received).toHaveLength(1);
  });

  it('pools connections and sends several messages', async () => {
    let connections = 0;
    const s = await server({
      onConnect(_session, cb) {
        connections++;
        cb();
      },
    });
    const t: Transport = transportFor(s.port, { pool: { maxConnections: 1 } });
    const raws = [sampleRaw(), sampleRaw(), sampleRaw()];
    for (const raw of raws) await t.send({ raw, envelope });
    expect(s.received.map((r) => r.raw)).toEqual(raws);
    expect(connections).toBe(1);
  });

  it('refuses a Bcc header and a bad envelope before connecting', async () => {
    let connections = 0;
    const s = await server({
      onConnect(_session, cb) {
        connections++;
        cb();
      },
    });
    const t = transportFor(s.port);
    const err = await rejection(
      t.send({ raw: sampleRaw({ extraHeader: 'Bcc: hidden@example.org' }), envelope }),
    );
    expect(err.permanent).toBe(true);
    await expect(
      t.send({
        raw: sampleRaw(),
        envelope: { from: 'a@example.com\r\nRCPT TO:<x@evil.example>', to: ['b@example.org'] },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ENVELOPE_SENDER' });
    expect(connections).toBe(0);
  });

  it("has connection, greeting and socket timeouts by default (not nodemailer's 10 minutes)", async () => {
    const seen: Array<Record<string, unknown>> = [];
    const fake = {
      createTransport(options: Record<string, unknown>) {
        seen.push(options);
        return { sendMail: async () => ({ accepted: envelope.to, rejected: [] }) };
      },
    };
    await smtpTransport({ host: '127.0.0.1' }, () => fake).send({ raw: sampleRaw(), envelope });
    await smtpTransport({ host: '127.0.0.1', socketTimeout: 5 }, () => fake).send({
      raw: sampleRaw(),
      envelope,
    });
    expect(SMTP_TIMEOUT_DEFAULTS).toEqual({
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
    });
    expect(seen[0]).toMatchObject(SMTP_TIMEOUT_DEFAULTS);
    expect(seen[1]).toMatchObject({ ...SMTP_TIMEOUT_DEFAULTS, socketTimeout: 5 });
  });

  it('without nodemailer: TRANSPORT_UNAVAILABLE with a clear message', async () => {
    const t = smtpTransport({ host: '127.0.0.1', port: 1 }, () =>
      loadNodemailer('nodemailer-is-not-installed-here'),
    );
    const err = await rejection(t.send({ raw: sampleRaw(), envelope }));
    expect(err.code).toBe('TRANSPORT_UNAVAILABLE');
    expect(err.message).toMatch(/npm install nodemailer/);
    expect(err.message).toMatch(/npm install -g nodemailer/);
    expect(err.permanent).toBe(true);
  });
});

describe('smtpTransport: a relay certificate that fails verification', () => {
  // Self-signed for relay.test, valid 2000-9999 (test/fixtures/tls/README.md): no clock dependence.
  const fixture = (name: string) =>
    readFileSync(new URL(`../fixtures/tls/relay-self-signed.${name}.pem`, import.meta.url));
  const cert = fixture('cert');
  const key = fixture('key');

  async function tlsServer(): Promise<TestServer> {
    return server({ hideSTARTTLS: false, key, cert });
  }

  it('a self-signed certificate is a permanent configuration error naming the tls option', async () => {
    const s = await tlsServer();
    for (const extra of [{}, { requireTLS: true }]) {
      const err = await rejection(transportFor(s.port, extra).send({ raw: sampleRaw(), envelope }));
      expect(err.temporary).toBe(false);
      expect(err.permanent).toBe(true);
      expect(err.code).toBe('TRANSPORT_UNAVAILABLE');
      expect(err.field).toBe('tls');
      expect(err.message).toMatch(/DEPTH_ZERO_SELF_SIGNED_CERT/);
      expect(err.message).toMatch(/tls: \{ ca \}/);
    }
    expect(s.received).toHaveLength(0);
  });

  it('a trusted certificate for another host name is permanent too (ERR_TLS_CERT_ALTNAME_INVALID)', async () => {
    const s = await tlsServer();
    const err = await rejection(
      transportFor(s.port, { tls: { ca: cert } }).send({ raw: sampleRaw(), envelope }),
    );
    expect(err.permanent).toBe(true);
    expect(err.message).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID/);
    expect(err.message).toMatch(/servername/);
  });

  it('with its CA trusted and the right servername the same relay works', async () => {
    const s = await tlsServer();
    const raw = sampleRaw();
    await transportFor(s.port, { tls: { ca: cert, servername: 'relay.test' } }).send({
      raw,
      envelope,
    });
    expect(s.received[0]!.raw.equals(raw)).toBe(true);
  });
});
