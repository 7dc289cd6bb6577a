/**
 * A contact endpoint on plain node:http.
 *
 *   POST /contact  (application/json or application/x-www-form-urlencoded)
 *   → 200 {ok:true} | 400 {ok:false, errors:[{field, code, message}]} | 503 retry later
 *
 * Messages go to ./outbox (or $OUTBOX) through the file transport; swap in
 * smtpTransport() for production. Run: node --import tsx examples/contact-http.ts
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ContactForm } from '../src/index.js';
import {
  answerFor,
  BODY_LIMIT,
  DEMO_BODIES,
  isMain,
  outboxMailer,
  parseBody,
  siteContactForm,
  statusFor,
  unreadable,
} from './lib/contact-setup.js';

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** Reads at most `limit` bytes; undefined when the body is larger. */
async function readText(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The request handler; `form` decides recipients, so nothing in the request can. */
export function contactHandler(form: ContactForm<unknown>) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.url !== '/contact') return send(res, 404, { ok: false });
    if (req.method !== 'POST') return send(res, 405, { ok: false });
    const text = await readText(req, BODY_LIMIT);
    if (text === undefined) return send(res, 413, unreadable('the form data is too large'));
    let body: unknown;
    try {
      body = parseBody(req.headers['content-type'], text);
    } catch {
      return send(res, 400, unreadable('the body is not valid JSON'));
    }
    if (body === undefined) return send(res, 415, unreadable('send JSON or a urlencoded form'));
    const result = await form.handle(body);
    send(res, statusFor(result), answerFor(result));
  };
}

/**
 * Starts the server on 127.0.0.1 (port 0 = any free port).
 *
 * @example
 * ```ts
 * const { url, close } = await startContactServer({ form: siteContactForm(outboxMailer()) })
 * ```
 */
export async function startContactServer(
  options: { form?: ContactForm<unknown>; port?: number } = {},
): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const form = options.form ?? siteContactForm(outboxMailer());
  const server = createServer((req, res) => {
    contactHandler(form)(req, res).catch((err) => {
      console.error(err);
      if (!res.headersSent) send(res, 500, { ok: false });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}/contact`,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

if (isMain(import.meta.url)) {
  const { url, close } = await startContactServer();
  for (const [what, body] of Object.entries(DEMO_BODIES)) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    console.log(`${what}: ${res.status} ${await res.text()}`);
  }
  await close();
  console.log(`messages are in ${process.env['OUTBOX'] ?? './outbox'}`);
}
