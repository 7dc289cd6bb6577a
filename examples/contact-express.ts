/**
 * The contact endpoint as an express 5 router (express is a devDependency here;
 * in your app it is yours).
 *
 *   app.use(contactRouter(form))  →  POST /contact
 *
 * Run: node --import tsx examples/contact-express.ts
 */
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Router } from 'express';
import type { ContactForm } from '../src/index.js';
import {
  answerFor,
  BODY_LIMIT,
  DEMO_BODIES,
  isMain,
  outboxMailer,
  siteContactForm,
  statusFor,
  unreadable,
} from './lib/contact-setup.js';

/** POST /contact with a JSON or urlencoded body. */
export function contactRouter(form: ContactForm<unknown>): Router {
  const router = express.Router();
  router.post(
    '/contact',
    // strict: false lets `42` or `"x"` through to the form, which answers INVALID_TYPE.
    express.json({ limit: BODY_LIMIT, strict: false }),
    // extended: false = node:querystring, no nested objects from `a[b]=c`.
    express.urlencoded({ limit: BODY_LIMIT, extended: false }),
    async (req, res) => {
      if (!req.is(['application/json', 'application/x-www-form-urlencoded'])) {
        res.status(415).json(unreadable('send JSON or a urlencoded form'));
        return;
      }
      const result = await form.handle(req.body);
      res.status(statusFor(result)).json(answerFor(result));
    },
  );
  const bodyErrors: ErrorRequestHandler = (err, _req, res, next) => {
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') res.status(413).json(unreadable('the form data is too large'));
    else if (type === 'entity.parse.failed')
      res.status(400).json(unreadable('the body is not valid JSON'));
    else next(err);
  };
  router.use(bodyErrors);
  return router;
}

/** An app with the router, listening on 127.0.0.1 (port 0 = any free port). */
export async function startExpressContact(
  options: { form?: ContactForm<unknown>; port?: number } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.disable('x-powered-by');
  app.use(contactRouter(options.form ?? siteContactForm(outboxMailer())));
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(options.port ?? 0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/contact`,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

if (isMain(import.meta.url)) {
  const { url, close } = await startExpressContact();
  for (const [what, body] of Object.entries(DEMO_BODIES)) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body as Record<string, string>),
    });
    console.log(`${what}: ${res.status} ${await res.text()}`);
  }
  await close();
  console.log(`messages are in ${process.env['OUTBOX'] ?? './outbox'}`);
}
