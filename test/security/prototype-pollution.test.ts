// Issue 14.4: a dependency that sets Object.prototype.bcc/.headers/.html (or
// any other field name) must not change a composed message; non-enumerable
// and accessor properties are refused; contactForm never reads an inherited
// `email`. This file pollutes Object.prototype, so it runs on its own (vitest
// isolates test files) and every test removes what it set in `finally`.
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { createMailer } from '../../src/send/mailer.js';
import { memoryTransport } from '../../src/send/memory.js';
import { smtpTransport } from '../../src/send/smtp.js';
import { contactForm } from '../../src/tools/form/index.js';
import { MailHygieneError } from '../../src/wire/errors.js';
import { parsePostal } from '../support/npm-parsers.js';

const now = () => new Date('2026-01-05T10:00:00Z');
const msg = () => ({
  from: 'Shop <shop@example.com>',
  to: 'erika@example.org',
  subject: 'Hallo',
  text: 'Grüße',
  messageId: '<fixed.1@example.com>',
});

/** Runs `f` with `props` set on Object.prototype (enumerable, as `proto.x = …` makes them). */
async function polluted<T>(props: Record<string, unknown>, f: () => Promise<T>): Promise<T> {
  const proto = Object.prototype as Record<string, unknown>;
  for (const [k, v] of Object.entries(props)) proto[k] = v;
  try {
    return await f();
  } finally {
    for (const k of Object.keys(props)) delete proto[k];
  }
}

/** Every field name of the message input, the options, addresses and attachments. */
const POLLUTION = {
  from: 'evil@evil.example',
  sender: 'sender@evil.example',
  to: 'to@evil.example',
  cc: 'cc@evil.example',
  bcc: 'hidden@evil.example',
  replyTo: 'phish@evil.example',
  subject: 'evil',
  text: 'evil text',
  html: '<a href="https://evil.example">log in</a>',
  attachments: [{ filename: 'evil.exe', content: 'MZ' }],
  headers: { 'X-Injected': 'yes' },
  date: new Date(0),
  inReplyTo: '<a@evil.example>',
  references: ['<a@evil.example>'],
  listUnsubscribe: { url: 'https://evil.example/u' },
  autoSubmitted: 'auto-replied',
  envelope: { from: 'bounce@evil.example', to: ['rcpt@evil.example'] },
  name: 'Evil',
  address: 'addr@evil.example',
  filename: 'evil.exe',
  contentType: 'text/html',
  cid: 'evil',
  disposition: 'inline',
  envelopeFrom: 'bounce@evil.example',
  messageIdDomain: 'evil.example',
  smtputf8: true,
  maxRecipients: 1,
  textFromHtml: false,
  selfCheck: false,
  dkim: { domainName: 'evil.example', keySelector: 's', privateKey: 'x' },
};

describe('Object.prototype pollution', () => {
  it('does not change what compose() builds', async () => {
    const clean = await compose(msg(), { now });
    const dirty = await polluted(POLLUTION, () => compose(msg(), { now }));
    expect(dirty.envelope).toEqual(clean.envelope);
    expect(dirty.raw.toString('latin1').replace(/_[A-Za-z0-9_-]{20,}/g, 'B')).toBe(
      clean.raw.toString('latin1').replace(/_[A-Za-z0-9_-]{20,}/g, 'B'),
    );
    const parsed = await parsePostal(dirty.raw);
    expect(parsed.html).toBeNull();
    expect(parsed.attachments).toEqual([]);
  });

  it('does not change what createMailer() sends', async () => {
    const transport = memoryTransport();
    const mailer = createMailer({ transport, now });
    await polluted(POLLUTION, () => mailer.send(msg()));
    expect(transport.messages[0]!.envelope).toEqual({
      from: 'shop@example.com',
      to: ['erika@example.org'],
    });
    expect(transport.messages[0]!.raw.toString('latin1')).not.toContain('evil');
  });

  it('a hole in an array is refused, not read from the prototype', async () => {
    const to: string[] = [];
    to[1] = 'erika@example.org';
    const e = await polluted({ 0: 'hidden@evil.example' }, () =>
      compose({ ...msg(), to }, { now }).catch((x) => x),
    );
    expect(e).toBeInstanceOf(MailHygieneError);
    expect([e.code, e.field]).toEqual(['INVALID_INPUT', 'to[0]']);
  });

  it('contactForm: an inherited email is no Reply-To', async () => {
    const form = contactForm({ to: 'support@example.com', from: 'web@example.com' });
    const r = await polluted({ email: 'phish@evil.example' }, () =>
      form.handle({ name: 'Erika', message: 'Hallo' }),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((x) => [x.field, x.code])).toEqual([['email', 'REQUIRED']]);
  });

  it('contactForm: an inherited bcc in the config is not used', async () => {
    const transport = memoryTransport();
    const form = await polluted({ bcc: 'hidden@evil.example', cc: 'cc@evil.example' }, async () =>
      contactForm({
        to: 'support@example.com',
        from: 'web@example.com',
        mailer: createMailer({ transport }),
      }),
    );
    const r = await polluted(POLLUTION, () =>
      form.handle({ name: 'Erika', email: 'erika@example.org', message: 'Hallo' }),
    );
    expect(r.ok).toBe(true);
    expect(transport.messages[0]!.envelope.to).toEqual(['support@example.com']);
  });
});

describe('transport configuration', () => {
  it('smtpTransport never takes an inherited host, auth or tls', async () => {
    await expect(
      polluted({ host: 'relay.evil.example' }, async () => smtpTransport({} as never)),
    ).rejects.toThrow(/needs a host/);
    let seen: Record<string, unknown> | undefined;
    const load = async () => ({
      createTransport(options: Record<string, unknown>) {
        seen = { ...options };
        return { sendMail: async () => ({ accepted: ['erika@example.org'], rejected: [] }) };
      },
    });
    await polluted(
      { auth: { user: 'u', pass: 'p' }, tls: { rejectUnauthorized: false }, port: 2526 },
      async () => {
        const t = smtpTransport({ host: 'localhost', port: 2525 }, load as never);
        await t.send({
          raw: Buffer.from('From: a@example.com\r\n\r\nx\r\n'),
          envelope: { from: 'a@example.com', to: ['erika@example.org'] },
        });
      },
    );
    expect(seen?.host).toBe('localhost');
    expect(seen?.port).toBe(2525);
    expect(Object.hasOwn(seen!, 'auth')).toBe(false);
    expect(Object.hasOwn(seen!, 'tls')).toBe(false);
  });
});

describe('non-enumerable and accessor properties are refused', () => {
  const withHidden = (key: string, value: unknown, enumerable = false) => {
    const o: Record<string, unknown> = msg();
    Object.defineProperty(o, key, { value, enumerable });
    return o;
  };

  it('a non-enumerable attachments field', async () => {
    const input = withHidden('attachments', [{ filename: 'evil.exe', content: 'MZ' }]);
    const e = await compose(input as never, { now }).catch((x) => x);
    expect([e.code, e.field]).toEqual(['INVALID_INPUT', 'attachments']);
    expect(e.message).toMatch(/non-enumerable/);
  });

  it('a non-enumerable envelopeFrom option', async () => {
    const options = { now };
    Object.defineProperty(options, 'envelopeFrom', { value: 'bounce@evil.example' });
    const e = await compose(msg(), options).catch((x) => x);
    expect([e.code, e.field]).toEqual(['INVALID_OPTIONS', 'envelopeFrom']);
  });

  it('a non-enumerable envelopeFrom in createMailer', () => {
    const options = { transport: memoryTransport() };
    Object.defineProperty(options, 'envelopeFrom', { value: 'bounce@evil.example' });
    expect(() => createMailer(options)).toThrow(/non-enumerable/);
  });

  it('a getter (it could answer the check and the use differently)', async () => {
    let reads = 0;
    const input = msg() as Record<string, unknown>;
    Object.defineProperty(input, 'to', {
      enumerable: true,
      get: () => (reads++ === 0 ? 'erika@example.org' : 'evil@evil.example'),
    });
    const e = await compose(input as never, { now }).catch((x) => x);
    expect([e.code, e.field]).toEqual(['INVALID_INPUT', 'to']);
    expect(reads).toBe(0);
  });

  it('a non-enumerable field in a form body makes the body unreadable, not a recipient', async () => {
    const form = contactForm({ to: 'support@example.com', from: 'web@example.com' });
    const body = { name: 'Erika', email: 'erika@example.org', message: 'Hallo' };
    Object.defineProperty(body, 'bcc', { value: 'hidden@evil.example' });
    const r = await form.handle(body);
    expect(r.ok).toBe(false);
  });
});
