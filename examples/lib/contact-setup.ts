/**
 * What the three contact-endpoint examples share: the site's form, the default
 * mailer (files in ./outbox), body parsing and the HTTP answer for a result.
 * In your app, import from 'mailhygiene' instead of '../../src/…'.
 */
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type {
  ContactForm,
  ContactFormError,
  ContactFormResult,
  ContactMailer,
} from '../../src/index.js';
import { contactForm, createMailer, fileTransport, type Mailer } from '../../src/index.js';

/** Form bodies bigger than this are refused before parsing (413). */
export const BODY_LIMIT = 256 * 1024;

/** A mailer that writes each message to `dir` (default `$OUTBOX` or `./outbox`). */
export function outboxMailer(dir = process.env['OUTBOX'] ?? './outbox'): Mailer {
  return createMailer({ transport: fileTransport({ dir }) });
}

/** The site's contact form: fixed recipient and sender, one extra field, a honeypot. */
export function siteContactForm<S>(mailer?: ContactMailer<S>): ContactForm<S> {
  return contactForm<S>({
    to: process.env['CONTACT_TO'] ?? 'Support <support@example.com>',
    from: process.env['CONTACT_FROM'] ?? 'Website <noreply@example.com>',
    fields: { company: z.string().max(200).optional() },
    honeypot: 'website',
    ...(mailer ? { mailer } : {}),
  });
}

/** HTTP status for a result: 200, 400 (visitor's fault), 503 (retry later), 500. */
export function statusFor(result: ContactFormResult<unknown>): number {
  if (result.ok) return 200;
  if (result.retryable === true) return 503;
  if (result.retryable === false) return 500;
  return 400;
}

/** The JSON answer. Send failures are not detailed: SMTP replies are for the log, not the visitor. */
export function answerFor(result: ContactFormResult<unknown>): {
  ok: boolean;
  errors?: ContactFormError[];
} {
  if (result.ok) return { ok: true };
  if (result.retryable !== undefined) {
    console.error('contact form: sending failed:', result.errors[0]?.message);
    const code = result.errors[0]?.code ?? 'PERMANENT_FAILURE';
    return {
      ok: false,
      errors: [{ field: null, code, message: 'the message could not be sent; please try later' }],
    };
  }
  return { ok: false, errors: result.errors };
}

/** An error answer for a body that could not be read at all. */
export function unreadable(message: string): { ok: false; errors: ContactFormError[] } {
  return { ok: false, errors: [{ field: null, code: 'INVALID_TYPE', message }] };
}

/**
 * Parses a request body by content type: JSON, or `application/x-www-form-urlencoded`
 * (a repeated name becomes an array, which the form answers with INVALID_TYPE).
 * Returns `undefined` for other content types.
 */
export function parseBody(contentType: string | null | undefined, text: string): unknown {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') return JSON.parse(text);
  if (type === 'application/x-www-form-urlencoded') {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(text)) {
      // Own fields only: out['__proto__'] would read Object.prototype.
      const prev = Object.hasOwn(out, k) ? out[k] : undefined;
      // defineProperty: a field named __proto__ stays an ordinary (forbidden) field.
      Object.defineProperty(out, k, {
        value: prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return undefined;
}

/** True when `moduleUrl` is the file node was started with. */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && pathToFileURL(entry).href === moduleUrl;
}

/** The request bodies every self-demo posts: one good, one hostile. */
export const DEMO_BODIES = {
  good: {
    name: 'Erika Mustermann',
    email: 'erika@example.org',
    subject: 'Angebot',
    message: 'Hallo,\nbitte schicken Sie mir ein Angebot.\n\nGrüße',
    company: 'ACME GmbH',
  },
  hostile: {
    name: 'Eve\r\nBcc: victim@example.net',
    email: 'eve@example.org',
    message: 'spam',
    bcc: 'victim@example.net',
  },
};
