/**
 * A Next.js-style route handler (app/api/contact/route.ts): web `Request` in,
 * `Response` out, as in Node 20, Next.js, Remix, Hono, Deno or workers.
 *
 * Run: node --import tsx examples/contact-route-handler.ts
 */
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

/** Builds a POST handler around a form (tests pass one with a memory transport). */
export function createPostHandler(form: ContactForm<unknown>) {
  return async function POST(request: Request): Promise<Response> {
    const declared = Number(request.headers.get('content-length') ?? 0);
    if (declared > BODY_LIMIT)
      return Response.json(unreadable('the form data is too large'), { status: 413 });
    const text = await request.text();
    if (Buffer.byteLength(text) > BODY_LIMIT) {
      return Response.json(unreadable('the form data is too large'), { status: 413 });
    }
    let body: unknown;
    try {
      body = parseBody(request.headers.get('content-type'), text);
    } catch {
      return Response.json(unreadable('the body is not valid JSON'), { status: 400 });
    }
    if (body === undefined) {
      return Response.json(unreadable('send JSON or a urlencoded form'), { status: 415 });
    }
    const result = await form.handle(body);
    return Response.json(answerFor(result), { status: statusFor(result) });
  };
}

let form: ContactForm<unknown> | undefined;

/** The route: Next.js calls it for POST /api/contact. The form is built on first use. */
export async function POST(request: Request): Promise<Response> {
  form ??= siteContactForm(outboxMailer());
  return createPostHandler(form)(request);
}

if (isMain(import.meta.url)) {
  for (const [what, body] of Object.entries(DEMO_BODIES)) {
    const res = await POST(
      new Request('http://localhost/api/contact', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );
    console.log(`${what}: ${res.status} ${await res.text()}`);
  }
  console.log(`messages are in ${process.env['OUTBOX'] ?? './outbox'}`);
}
