/**
 * The three contact endpoints (node:http, express, web route handler) answer
 * the same bodies the same way: 200 / 400 with field errors / 503, and only a
 * good request puts a message into the transport, with the site's From and
 * recipients and the visitor in Reply-To (read back by mailparser).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExpressContact } from '../../examples/contact-express.js';
import { startContactServer } from '../../examples/contact-http.js';
import { createPostHandler } from '../../examples/contact-route-handler.js';
import { outboxMailer, siteContactForm } from '../../examples/lib/contact-setup.js';
import { TransportError } from '../../src/send/error.js';
import { createMailer } from '../../src/send/mailer.js';
import { memoryTransport } from '../../src/send/memory.js';
import type { ContactForm } from '../../src/tools/form/types.js';

interface Reply {
  status: number;
  json: { ok: boolean; errors?: Array<{ field: string | null; code: string }> };
}
type Post = (body: string, contentType?: string) => Promise<Reply>;
interface Endpoint {
  post: Post;
  close(): Promise<void>;
}

async function viaFetch(url: string, body: string, contentType: string): Promise<Reply> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: res.status, json: (await res.json()) as Reply['json'] };
}

const ENDPOINTS: Record<string, (form: ContactForm<unknown>) => Promise<Endpoint>> = {
  'node:http': async (form) => {
    const s = await startContactServer({ form });
    return { post: (b, ct = 'application/json') => viaFetch(s.url, b, ct), close: s.close };
  },
  express: async (form) => {
    const s = await startExpressContact({ form });
    return { post: (b, ct = 'application/json') => viaFetch(s.url, b, ct), close: s.close };
  },
  'route handler': async (form) => {
    const POST = createPostHandler(form);
    return {
      post: async (b, ct = 'application/json') => {
        const res = await POST(
          new Request('http://localhost/api/contact', {
            method: 'POST',
            headers: { 'content-type': ct },
            body: b,
          }),
        );
        return { status: res.status, json: (await res.json()) as Reply['json'] };
      },
      close: async () => {},
    };
  },
};

const good = {
  name: 'Erika Mustermann',
  email: 'erika@example.org',
  subject: 'Angebot',
  message: 'Hallo,\nbitte ein Angebot.',
  company: 'ACME',
};
const json = (o: unknown) => JSON.stringify(o);

for (const [name, start] of Object.entries(ENDPOINTS)) {
  describe(`contact endpoint: ${name}`, () => {
    const transport = memoryTransport();
    let ep: Endpoint;
    beforeAll(async () => {
      ep = await start(siteContactForm(createMailer({ transport })));
    });
    afterAll(() => ep.close());

    it('a good JSON body → 200, one message from the site with the visitor in Reply-To', async () => {
      transport.clear();
      expect(await ep.post(json(good))).toEqual({ status: 200, json: { ok: true } });
      expect(transport.messages).toHaveLength(1);
      const m = transport.messages[0]!;
      expect(m.envelope).toEqual({ from: 'noreply@example.com', to: ['support@example.com'] });
      const parsed = await simpleParser(m.raw);
      expect(parsed.from?.value).toEqual([{ name: 'Website', address: 'noreply@example.com' }]);
      expect(parsed.replyTo?.value).toEqual([
        { name: 'Erika Mustermann', address: 'erika@example.org' },
      ]);
      expect(parsed.headers.has('cc')).toBe(false);
      expect(parsed.headers.has('bcc')).toBe(false);
      expect(parsed.subject).toBe('Contact form: Angebot');
      expect(parsed.text).toContain('company: ACME');
    });

    it('a good urlencoded body → 200', async () => {
      transport.clear();
      const r = await ep.post(
        new URLSearchParams(good).toString(),
        'application/x-www-form-urlencoded',
      );
      expect(r).toEqual({ status: 200, json: { ok: true } });
      expect(transport.messages).toHaveLength(1);
    });

    const hostile: Array<[string, string, string | undefined, Array<[string | null, string]>]> = [
      [
        'CRLF in name',
        json({ ...good, name: 'Eve\r\nBcc: v@example.net' }),
        undefined,
        [['name', 'HEADER_INJECTION']],
      ],
      ['a bcc field', json({ ...good, bcc: 'v@example.net' }), undefined, [['bcc', 'FORM_FIELD']]],
      [
        'a urlencoded to field',
        new URLSearchParams({ ...good, to: 'v@example.net' }).toString(),
        'application/x-www-form-urlencoded',
        [['to', 'FORM_FIELD']],
      ],
      [
        'a repeated urlencoded field',
        `${new URLSearchParams(good)}&email=x@example.net`,
        'application/x-www-form-urlencoded',
        [['email', 'INVALID_TYPE']],
      ],
      [
        'an invalid email',
        json({ ...good, email: 'erika@@example.org' }),
        undefined,
        [['email', 'INVALID_ADDRESS']],
      ],
      [
        'a 30 KB message',
        json({ ...good, message: 'x'.repeat(30 * 1024) }),
        undefined,
        [['message', 'TOO_LONG']],
      ],
      ['JSON 42', '42', undefined, [[null, 'INVALID_TYPE']]],
      ['JSON "x"', '"x"', undefined, [[null, 'INVALID_TYPE']]],
      ['a JSON array', '[1,2]', undefined, [[null, 'INVALID_TYPE']]],
      ['JSON null', 'null', undefined, [[null, 'INVALID_TYPE']]],
      ['broken JSON', '{"name":', undefined, [[null, 'INVALID_TYPE']]],
      [
        'a filled honeypot',
        json({ ...good, website: 'http://spam.example' }),
        undefined,
        [['website', 'SPAM']],
      ],
    ];
    for (const [what, body, ct, errors] of hostile) {
      it(`${what} → 400 with field errors, nothing sent`, async () => {
        transport.clear();
        const r = await ep.post(body, ct);
        expect(r.status).toBe(400);
        expect(r.json.ok).toBe(false);
        expect(r.json.errors?.map((e) => [e.field, e.code])).toEqual(errors);
        expect(transport.messages).toHaveLength(0);
      });
    }

    it('a urlencoded __proto__ field is refused, or dropped by the framework before the form', async () => {
      transport.clear();
      const r = await ep.post(
        `${new URLSearchParams(good)}&__proto__=x`,
        'application/x-www-form-urlencoded',
      );
      if (name === 'express') {
        // body-parser (qs) drops keys that shadow Object.prototype: the form never sees it.
        expect(r.status).toBe(200);
        expect(transport.messages[0]!.raw.toString()).not.toContain('__proto__');
      } else {
        expect([r.status, r.json.errors]).toEqual([
          400,
          [expect.objectContaining({ field: '__proto__', code: 'FORM_FIELD' })],
        ]);
      }
    });

    it('a body over the limit → 413; another content type → 415', async () => {
      expect((await ep.post(json({ ...good, message: 'x'.repeat(300 * 1024) }))).status).toBe(413);
      expect((await ep.post('hello', 'text/plain')).status).toBe(415);
    });
  });

  describe(`contact endpoint: ${name}, send failures`, () => {
    const failing = (temporary: boolean) => ({
      send: async () => {
        throw new TransportError('TRANSPORT_FAILED', '451 4.3.0 queue full (secret detail)', {
          temporary,
        });
      },
    });
    it('a temporary failure → 503; a permanent one → 500; no SMTP detail leaks', async () => {
      for (const [temporary, status, code] of [
        [true, 503, 'TEMPORARY_FAILURE'],
        [false, 500, 'PERMANENT_FAILURE'],
      ] as const) {
        const ep = await start(siteContactForm(failing(temporary)));
        const r = await ep.post(json(good));
        await ep.close();
        expect(r.status).toBe(status);
        expect(r.json.errors?.map((e) => [e.field, e.code])).toEqual([[null, code]]);
        expect(JSON.stringify(r.json)).not.toContain('secret');
      }
    });
  });
}

describe('default mailer: file transport into the outbox', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mh-outbox-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes the composed message as .eml with its envelope as .json', async () => {
    const s = await startContactServer({ form: siteContactForm(outboxMailer(dir)) });
    const r = await viaFetch(s.url, json(good), 'application/json');
    await s.close();
    expect(r.status).toBe(200);
    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(2);
    const record = JSON.parse(
      await readFile(join(dir, files.find((f) => f.endsWith('.json'))!), 'utf8'),
    );
    expect(record.envelope).toEqual({ from: 'noreply@example.com', to: ['support@example.com'] });
    const parsed = await simpleParser(
      await readFile(join(dir, files.find((f) => f.endsWith('.eml'))!)),
    );
    expect(parsed.replyTo?.value[0]?.address).toBe('erika@example.org');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
  });
});
