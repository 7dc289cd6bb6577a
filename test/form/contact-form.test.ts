/**
 * contactForm(): field errors for hostile input, the visitor only in Reply-To,
 * extra fields only in the body. Messages are read back by independent
 * parsers (CPython's email package and mailparser), not by our own code.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TransportError } from '../../src/send/error.js';
import { createMailer } from '../../src/send/mailer.js';
import { memoryTransport } from '../../src/send/memory.js';
import { contactForm } from '../../src/tools/form/index.js';
import type { ContactFormResult } from '../../src/tools/form/types.js';
import { MailHygieneError } from '../../src/wire/errors.js';
import { pyFindings, usePythonEmail } from '../support/python-email.js';
import { goodBody, headerNames, makeForm, SITE_FROM, SITE_TO } from './helpers.js';

const py = usePythonEmail();

const form = makeForm();

/** The header fields every contact-form message has, and nothing else. */
const EXPECTED_HEADERS = [
  'date',
  'from',
  'to',
  'reply-to',
  'subject',
  'message-id',
  'auto-submitted',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
];

function codes(r: ContactFormResult): Array<[string | null, string]> {
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.errors.map((e) => [e.field, e.code]);
}

async function okMessage(body: unknown) {
  const r = await form.handle(body);
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.errors)}`);
  return r;
}

describe('a good submission', () => {
  it('is from the site, to the site, with the visitor in Reply-To only', async () => {
    const r = await okMessage(goodBody({ company: 'ACME GmbH', seats: 3 }));
    const judged = await py.check(r.message.raw);
    expect(pyFindings(judged)).toEqual([]);
    expect(judged.headers.from).toEqual([{ name: 'Website', address: 'noreply@example.com' }]);
    expect(judged.headers.to).toEqual([{ name: 'Support', address: 'support@example.com' }]);
    expect(judged.headers.replyTo).toEqual([
      { name: 'Erika Mustermann', address: 'erika@example.org' },
    ]);
    expect(judged.headers.cc).toBeNull();
    expect(judged.headers.sender).toBeNull();
    expect(judged.headers.subject).toBe('Contact form: Angebot');
    expect(r.message.envelope).toEqual({
      from: 'noreply@example.com',
      to: ['support@example.com'],
    });
    expect((await headerNames(r.message.raw)).sort()).toEqual([...EXPECTED_HEADERS].sort());
    expect(r.message.raw.toString('latin1')).toMatch(/^Auto-Submitted: auto-generated\r$/m);
  });

  it('lists every field readably in the text body', async () => {
    const r = await okMessage(goodBody({ company: 'ACME GmbH', seats: 3 }));
    const text = (await py.check(r.message.raw)).parts[0]!.text!.replace(/\r\n/g, '\n');
    expect(text).toBe(
      [
        'Name: Erika Mustermann',
        'Email: erika@example.org',
        'Subject: Angebot',
        'company: ACME GmbH',
        'seats: 3',
        '',
        'Message:',
        '',
        // compose() ends the text part with a line break.
        'Hallo,\nich hätte gern ein Angebot.\n\nGrüße\n',
      ].join('\n'),
    );
    expect(r.data).toEqual({ ...goodBody(), company: 'ACME GmbH', seats: 3 });
  });

  it('puts header-looking extra values into the body, never into headers', async () => {
    const hostile = 'x\r\nBcc: evil@attacker.example\r\nX-Injected: 1';
    const r = await okMessage(goodBody({ company: hostile }));
    const judged = await py.check(r.message.raw);
    expect(pyFindings(judged)).toEqual([]);
    expect((await headerNames(r.message.raw)).sort()).toEqual([...EXPECTED_HEADERS].sort());
    expect(r.message.envelope.to).toEqual(['support@example.com']);
    // Continuation lines are indented: the value cannot pose as another label either.
    expect(judged.parts[0]!.text).toContain(
      'company: x\r\n  Bcc: evil@attacker.example\r\n  X-Injected: 1\r\n',
    );
  });

  it('ignores unknown harmless fields (CSRF token, submit button)', async () => {
    const r = await okMessage(goodBody({ _csrf: 'tok-123', submit: 'Send' }));
    const raw = r.message.raw.toString('utf8');
    expect(raw).not.toContain('tok-123');
    expect(raw).not.toContain('submit');
    expect(Object.keys(r.data)).not.toContain('_csrf');
  });

  it('accepts IDN domains in one script and writes them as A-labels', async () => {
    const r = await okMessage(goodBody({ email: 'test@fußball.test' }));
    expect(r.data.email).toBe('test@xn--fuball-cta.test');
    const judged = await py.check(r.message.raw);
    expect(judged.headers.replyTo).toEqual([
      { name: 'Erika Mustermann', address: 'test@xn--fuball-cta.test' },
    ]);
  });

  it('treats an empty or null subject as none: the label alone', async () => {
    for (const subject of ['', '   ', null, undefined]) {
      const r = await okMessage(goodBody({ subject }));
      expect((await py.check(r.message.raw)).headers.subject).toBe('Contact form');
    }
  });
});

describe('subject configuration', () => {
  it('a string subject is the label before the visitor subject, alone without one', async () => {
    const f = makeForm({ subject: 'Anfrage über die Website' });
    const none = await f.handle(goodBody({ subject: '' }));
    expect(none.ok && (await py.check(none.message.raw)).headers.subject).toBe(
      'Anfrage über die Website',
    );
    const some = await f.handle(goodBody({ subject: 'Angebot' }));
    expect(some.ok && (await py.check(some.message.raw)).headers.subject).toBe(
      'Anfrage über die Website: Angebot',
    );
  });

  it("subject: 'Contact form' (the README's snippet) is not doubled", async () => {
    const f = makeForm({ subject: 'Contact form' });
    for (const [subject, header] of [
      ['', 'Contact form'],
      ['Angebot', 'Contact form: Angebot'],
    ] as const) {
      const r = await f.handle(goodBody({ subject }));
      expect(r.ok && (await py.check(r.message.raw)).headers.subject).toBe(header);
    }
  });
  it('lets a function build the whole subject from checked data', async () => {
    const f = makeForm({ subject: (d) => `Lead from ${d.name} (${String(d.company ?? '-')})` });
    const r = await f.handle(goodBody({ company: 'ACME' }));
    expect(r.ok && (await py.check(r.message.raw)).headers.subject).toBe(
      'Lead from Erika Mustermann (ACME)',
    );
  });
  it('answers a subject with HTML with compose()s HTML_IN_SUBJECT on the subject field', async () => {
    expect(codes(await form.handle(goodBody({ subject: '<b>Buy</b> now' })))).toEqual([
      ['subject', 'HTML_IN_SUBJECT'],
    ]);
  });
});

const BREAKS = [
  '\r\n',
  '\n',
  '\r',
  '\0',
  '\x0b',
  '\x0c',
  '\x1b',
  '\x7f',
  '\u0085',
  '\u2028',
  '\u2029',
];

describe('header injection in every field', () => {
  for (const br of BREAKS) {
    const shown = JSON.stringify(br);
    it(`name with ${shown} → HEADER_INJECTION`, async () => {
      const r = await form.handle(goodBody({ name: `Eve${br}Bcc: victim@example.net` }));
      expect(codes(r)).toEqual([['name', 'HEADER_INJECTION']]);
    });
    it(`subject with ${shown} → HEADER_INJECTION`, async () => {
      const r = await form.handle(goodBody({ subject: `Hi${br}Bcc: victim@example.net` }));
      expect(codes(r)).toEqual([['subject', 'HEADER_INJECTION']]);
    });
    it(`email with ${shown} → INVALID_ADDRESS (compose's address parser)`, async () => {
      const r = await form.handle(goodBody({ email: `eve@example.org${br}Bcc: v@example.net` }));
      expect(codes(r)).toEqual([['email', 'INVALID_ADDRESS']]);
    });
  }
  it('a trailing newline in the name is refused, not trimmed', async () => {
    expect(codes(await form.handle(goodBody({ name: 'Eve\n' })))).toEqual([
      ['name', 'HEADER_INJECTION'],
    ]);
  });
  it('line breaks are fine in the message; NUL and escape characters are not', async () => {
    expect((await form.handle(goodBody({ message: 'a\r\nb\rc\nd\u2028e' }))).ok).toBe(true);
    for (const bad of ['a\0b', 'a\x1bb', '\ud800x']) {
      expect(codes(await form.handle(goodBody({ message: bad })))).toEqual([
        ['message', 'INVALID_CHARACTERS'],
      ]);
    }
  });
  it('a NUL in an extra field is INVALID_CHARACTERS on that field', async () => {
    expect(codes(await form.handle(goodBody({ company: 'AC\0ME' })))).toEqual([
      ['company', 'INVALID_CHARACTERS'],
    ]);
  });
  it('bidi overrides and isolates in name and subject are refused; marks are not', async () => {
    for (const ch of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2069']) {
      expect(codes(await form.handle(goodBody({ name: `a${ch}b`, subject: `c${ch}d` })))).toEqual([
        ['name', 'INVALID_CHARACTERS'],
        ['subject', 'INVALID_CHARACTERS'],
      ]);
    }
    expect((await form.handle(goodBody({ name: 'שלום\u200f Cohen' }))).ok).toBe(true);
  });
});

describe('visitor address', () => {
  const cases: Array<[string, string]> = [
    ['Erika <erika@example.org>', 'INVALID_ADDRESS'],
    ['"erika"@example.org', 'INVALID_ADDRESS'],
    ['erika@example.org, evil@example.net', 'INVALID_ADDRESS'],
    ['erika@localhost', 'INVALID_ADDRESS'],
    ['erika@[127.0.0.1]', 'INVALID_ADDRESS'],
    ['erika@xn--pple-43d.com', 'INVALID_ADDRESS'],
    ['admin@pаypal.com', 'INVALID_ADDRESS'],
    ['jürgen@example.org', 'SMTPUTF8_REQUIRED'],
    ['-oQ/tmp/x@example.org', 'INVALID_ADDRESS'],
    ['', 'REQUIRED'],
    ['   ', 'REQUIRED'],
  ];
  for (const [email, code] of cases) {
    it(`${JSON.stringify(email)} → ${code}`, async () => {
      expect(codes(await form.handle(goodBody({ email })))).toEqual([['email', code]]);
    });
  }
  it('accepts scripts that belong together (Japanese with Latin, Greek alone)', async () => {
    for (const email of ['info@日本語テストabc.example', 'info@ελληνικά.example']) {
      expect((await form.handle(goodBody({ email }))).ok).toBe(true);
    }
  });
});

describe('forbidden fields', () => {
  const names = ['to', 'cc', 'bcc', 'from', 'sender', 'replyTo', 'Reply-To', 'reply_to', 'BCC'];
  const more = ['recipient', 'recipients', 'headers', 'envelope', 'attachments', 'html'];
  for (const name of [...names, ...more]) {
    it(`${name} → FORM_FIELD`, async () => {
      const r = await form.handle(goodBody({ [name]: 'evil@attacker.example' }));
      expect(codes(r)).toEqual([[name, 'FORM_FIELD']]);
    });
  }
  it('answers __proto__ and constructor with FORM_FIELD and pollutes nothing', async () => {
    const body = JSON.parse(
      '{"name":"E","email":"e@example.org","message":"m","__proto__":{"to":"evil@x.example","polluted":1},"constructor":{"prototype":{"polluted":1}}}',
    );
    expect(codes(await form.handle(body))).toEqual([
      ['__proto__', 'FORM_FIELD'],
      ['constructor', 'FORM_FIELD'],
    ]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(({} as Record<string, unknown>)['to']).toBeUndefined();
  });
  it('reports forbidden fields together with the other field errors', async () => {
    const r = await form.handle({ bcc: 'x@example.net', name: '', message: 'm' });
    expect(codes(r)).toEqual([
      ['bcc', 'FORM_FIELD'],
      ['name', 'REQUIRED'],
      ['email', 'REQUIRED'],
    ]);
  });
});

describe('wrong types', () => {
  for (const body of [null, undefined, 'name=x', 42, true, [], [goodBody()], new Uint8Array(4)]) {
    it(`body ${JSON.stringify(body) ?? String(body)} → INVALID_TYPE`, async () => {
      expect(codes(await form.handle(body))).toEqual([[null, 'INVALID_TYPE']]);
    });
  }
  it('fields of the wrong type, missing and blank fields', async () => {
    const r = await form.handle({
      name: 5,
      email: { address: 'e@example.org' },
      subject: ['x'],
      message: '   ',
      seats: 'two',
    });
    expect(codes(r)).toEqual([
      ['name', 'INVALID_TYPE'],
      ['email', 'INVALID_TYPE'],
      ['subject', 'INVALID_TYPE'],
      ['message', 'REQUIRED'],
      ['seats', 'INVALID_TYPE'],
    ]);
    expect(codes(await form.handle({}))).toEqual([
      ['name', 'REQUIRED'],
      ['email', 'REQUIRED'],
      ['message', 'REQUIRED'],
    ]);
  });
  it('an extra field refused by its own schema → INVALID_VALUE', async () => {
    expect(codes(await form.handle(goodBody({ seats: 0 })))).toEqual([['seats', 'INVALID_VALUE']]);
  });
  it('a body with a throwing getter → INVALID_TYPE, not an exception', async () => {
    const body = Object.defineProperty(goodBody(), 'name', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(codes(await form.handle(body))).toEqual([[null, 'INVALID_TYPE']]);
  });
});

describe('limits', () => {
  it('a message over 20,000 characters → TOO_LONG; exactly 20,000 is fine', async () => {
    expect(codes(await form.handle(goodBody({ message: 'x'.repeat(20_001) })))).toEqual([
      ['message', 'TOO_LONG'],
    ]);
    expect((await form.handle(goodBody({ message: 'x'.repeat(20_000) }))).ok).toBe(true);
  });
  it('maxLength is configurable', async () => {
    const f = makeForm({ maxLength: 10 });
    expect(codes(await f.handle(goodBody({ message: 'x'.repeat(11) })))).toEqual([
      ['message', 'TOO_LONG'],
    ]);
  });
  it('name and subject over 200 characters → TOO_LONG (not cut)', async () => {
    const long = 'a'.repeat(201);
    expect(codes(await form.handle(goodBody({ name: long, subject: long })))).toEqual([
      ['name', 'TOO_LONG'],
      ['subject', 'TOO_LONG'],
    ]);
  });
  it('10 MB values in every field are refused quickly, and the answer stays small', async () => {
    const huge = `${'x'.repeat(10 * 1024 * 1024)}\r\nBcc: v@example.net`;
    const t0 = performance.now();
    const r = await form.handle({
      name: huge,
      email: huge,
      subject: huge,
      message: huge,
      company: huge,
    });
    const ms = performance.now() - t0;
    expect(codes(r)).toEqual([
      ['name', 'TOO_LONG'],
      ['email', 'TOO_LONG'],
      ['subject', 'TOO_LONG'],
      ['message', 'TOO_LONG'],
      ['company', 'TOO_LONG'],
    ]);
    expect(JSON.stringify(r).length).toBeLessThan(2000);
    expect(ms).toBeLessThan(2000);
  });
  it('many unknown keys are ignored in bounded time', async () => {
    const body = goodBody();
    for (let i = 0; i < 50_000; i++) body[`k${i}`] = 'v';
    const t0 = performance.now();
    expect((await form.handle(body)).ok).toBe(true);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('honeypot', () => {
  it('a filled honeypot → only SPAM, whatever else is wrong', async () => {
    for (const website of ['http://spam.example', 1, ['x'], { a: 1 }]) {
      expect(codes(await form.handle({ website, bcc: 'x@example.net' }))).toEqual([
        ['website', 'SPAM'],
      ]);
    }
  });
  it('an empty honeypot passes and stays out of the data and the message', async () => {
    const r = await okMessage(goodBody({ website: '' }));
    expect(Object.keys(r.data)).not.toContain('website');
    expect(r.message.raw.toString()).not.toContain('website');
  });
});

describe('sending', () => {
  it('sends through the mailer with the same Message-ID and returns its result', async () => {
    const transport = memoryTransport();
    const f = makeForm({ mailer: createMailer({ transport }) });
    const r = await f.handle(goodBody());
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(transport.messages).toHaveLength(1);
    const stored = transport.messages[0]!;
    expect(stored.envelope).toEqual({ from: 'noreply@example.com', to: ['support@example.com'] });
    expect(stored.messageId).toBe(r.message.messageId);
    expect((await py.check(stored.raw)).headers.messageId).toBe(r.message.messageId);
    expect(r.sent).toMatchObject({ accepted: ['support@example.com'] });
  });

  it('nothing is sent for bad input', async () => {
    const transport = memoryTransport();
    const f = makeForm({ mailer: createMailer({ transport }) });
    expect((await f.handle(goodBody({ bcc: 'x@example.net' }))).ok).toBe(false);
    expect(transport.messages).toHaveLength(0);
  });

  const failing = (error: unknown) => ({
    send: async () => {
      throw error;
    },
  });
  const cases: Array<[string, unknown, string, boolean]> = [
    [
      'TransportError temporary',
      new TransportError('TRANSPORT_FAILED', '451 try later', { temporary: true }),
      'TEMPORARY_FAILURE',
      true,
    ],
    [
      'TransportError permanent',
      new TransportError('TRANSPORT_FAILED', '550 no', { temporary: false }),
      'PERMANENT_FAILURE',
      false,
    ],
    [
      'a nodemailer-style 421 error',
      { message: 'busy', responseCode: 421 },
      'TEMPORARY_FAILURE',
      true,
    ],
    [
      'a lost connection',
      Object.assign(new Error('reset'), { code: 'ECONNRESET' }),
      'TEMPORARY_FAILURE',
      true,
    ],
    ['an unknown error', new Error('bad config'), 'PERMANENT_FAILURE', false],
    [
      "the mailer's own refusal",
      new MailHygieneError('INVALID_ENVELOPE_SENDER', 'local sender'),
      'PERMANENT_FAILURE',
      false,
    ],
  ];
  for (const [what, error, code, retryable] of cases) {
    it(`${what} → ${code}, retryable ${retryable}`, async () => {
      const r = await makeForm({ mailer: failing(error) }).handle(goodBody());
      expect(r).toMatchObject({ ok: false, retryable, errors: [{ field: null, code }] });
    });
  }
});

describe('configuration is checked at creation', () => {
  const base = { to: SITE_TO, from: SITE_FROM };
  const bad: Array<[string, object, string]> = [
    ['a bad `to`', { to: 'support@@example.com' }, 'INVALID_ADDRESS'],
    ['an injected `from`', { from: 'Site <a@example.com>\r\nBcc: x@y.example' }, 'INVALID_ADDRESS'],
    ['no recipient', { to: [] }, 'NO_RECIPIENTS'],
    ['a local sender without envelopeFrom', { from: 'www-data@web01' }, 'INVALID_ADDRESS'],
    ['a .local sender', { from: 'wwwrun@web01.local' }, 'INVALID_ENVELOPE_SENDER'],
    ['an extra field named `to`', { fields: { to: z.string() } }, 'INVALID_OPTIONS'],
    ['an extra field named `message`', { fields: { message: z.string() } }, 'INVALID_OPTIONS'],
    ['an extra field that is not a schema', { fields: { x: 'string' } }, 'INVALID_OPTIONS'],
    ['a honeypot named `email`', { honeypot: 'email' }, 'INVALID_OPTIONS'],
    ['maxLength 0', { maxLength: 0 }, 'INVALID_OPTIONS'],
    ['a subject with CRLF', { subject: 'Hi\r\nBcc: x@y.example' }, 'HEADER_INJECTION'],
    ['a mailer without send', { mailer: {} }, 'INVALID_OPTIONS'],
    ['bad options', { options: { maxRecipients: -1 } }, 'INVALID_OPTIONS'],
  ];
  for (const [what, over, code] of bad) {
    it(`${what} → ${code}`, () => {
      expect(() => contactForm({ ...base, ...over } as never)).toThrow(
        expect.objectContaining({ code }),
      );
    });
  }
  it('a .local sender with an envelopeFrom is fine', () => {
    expect(() =>
      contactForm({
        ...base,
        from: 'wwwrun@web01.local',
        options: { envelopeFrom: 'b@example.com' },
      }),
    ).not.toThrow();
  });
});

describe('contactForm with createMailer composes once', () => {
  it('the message is composed by the mailer, with its options, and is exactly what was sent', async () => {
    const transport = memoryTransport();
    const mailer = createMailer({ transport, envelopeFrom: 'bounces@example.com' });
    let composed = 0;
    const counting = {
      send: mailer.send,
      sendComposed: mailer.sendComposed,
      compose: (...a: Parameters<typeof mailer.compose>) => {
        composed++;
        return mailer.compose(...a);
      },
    };
    const r = await makeForm({ mailer: counting }).handle(goodBody());
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(composed).toBe(1);
    const [sent] = transport.messages;
    expect(sent!.raw.equals(r.message.raw)).toBe(true);
    // The mailer's bounce address, not the form's (which has none): what went out.
    expect(r.message.envelope).toEqual(sent!.envelope);
    expect(r.message.envelope.from).toBe('bounces@example.com');
  });
});
