/** Loopback SMTP servers for fault injection: smtp-server for protocol replies, raw net for drops. */
import net from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface Received {
  from: string;
  to: string[];
  raw: Buffer;
}

export interface TestServer {
  port: number;
  received: Received[];
  /** How many DATA streams the server started to read (accepted or not). */
  dataStarted: number;
  close(): Promise<void>;
}

/** An smtp-server on 127.0.0.1 and a random port; `options` override the handlers. */
export async function startSmtpServer(
  options: Partial<SMTPServerOptions> = {},
): Promise<TestServer> {
  const state: TestServer = {
    port: 0,
    received: [],
    dataStarted: 0,
    close: async () => {},
  };
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    hideSTARTTLS: true,
    disableReverseLookup: true,
    closeTimeout: 200,
    onData(stream, session, callback) {
      state.dataStarted++;
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        state.received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        callback(null);
      });
    },
    ...options,
  } as SMTPServerOptions);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.server.address() as net.AddressInfo).port;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

/** An SMTP error with a reply code, as smtp-server handlers return them. */
export function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}

/**
 * A minimal hand-driven SMTP server on 127.0.0.1 for what smtp-server cannot
 * do: drop the connection in the middle of DATA, or go silent.
 */
export async function startScriptedServer(
  behaviour: 'drop-mid-data' | 'silent-after-data' | 'silent-greeting',
): Promise<TestServer & { sockets: Set<net.Socket> }> {
  const sockets = new Set<net.Socket>();
  const state = {
    port: 0,
    received: [] as Received[],
    dataStarted: 0,
    sockets,
    close: async () => {},
  };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    if (behaviour === 'silent-greeting') return;
    socket.write('220 scripted.example ESMTP\r\n');
    let inData = false;
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      if (inData) {
        if (behaviour === 'drop-mid-data') socket.destroy();
        // silent-after-data: read everything, answer nothing
        return;
      }
      buffered += chunk.toString('latin1');
      let nl = buffered.indexOf('\r\n');
      while (nl !== -1) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') socket.write('250-scripted.example\r\n250 8BITMIME\r\n');
        else if (verb === 'MAIL' || verb === 'RCPT') socket.write('250 2.1.0 Ok\r\n');
        else if (verb === 'DATA') {
          state.dataStarted++;
          inData = true;
          socket.write('354 End data with <CR><LF>.<CR><LF>\r\n');
          return;
        } else if (verb === 'QUIT') socket.end('221 Bye\r\n');
        else socket.write('502 5.5.2 Error: command not recognized\r\n');
        nl = buffered.indexOf('\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as net.AddressInfo).port;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return state;
}
