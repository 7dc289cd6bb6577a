// Issue 12.5 and 12.6: misspelled options are refused with the nearest valid
// name; errors about input shapes say what to give, and recognise the shapes
// users bring from other libraries (nodemailer's `path`, `{ name, email }`).
import { describe, expect, it } from 'vitest';
import { compose, composeStream } from '../../src/compose/compose.js';
import { createMailer } from '../../src/send/mailer.js';
import { memoryTransport } from '../../src/send/memory.js';
import { MailHygieneError } from '../../src/wire/errors.js';
import { nearestName } from '../../src/wire/suggest.js';

const now = () => new Date('2026-01-05T10:00:00Z');
const msg = { from: 'shop@example.com', to: 'erika@example.org', subject: 'Hallo', text: 'x' };

function caught(f: () => unknown): MailHygieneError {
  try {
    f();
  } catch (e) {
    if (e instanceof MailHygieneError) return e;
    throw e;
  }
  throw new Error('expected a MailHygieneError');
}
async function rejected(p: Promise<unknown>): Promise<MailHygieneError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof MailHygieneError) return e;
    throw e;
  }
  throw new Error('expected a MailHygieneError');
}

describe('unknown option keys (12.5)', () => {
  const cases: Array<[Record<string, unknown>, string, string]> = [
    [{ envelopeform: 'bounces@example.com' }, 'envelopeform', 'envelopeFrom'],
    [{ selfcheck: false }, 'selfcheck', 'selfCheck'],
    [{ envelopeForm: 'bounces@example.com' }, 'envelopeForm', 'envelopeFrom'],
    [{ maxRecipient: 5 }, 'maxRecipient', 'maxRecipients'],
    [{ smtpUtf8: true }, 'smtpUtf8', 'smtputf8'],
  ];
  for (const [options, key, near] of cases) {
    it(`compose(msg, { ${key} }) → INVALID_OPTIONS naming ${near}`, async () => {
      const e = await rejected(compose(msg, { now, ...options } as never));
      expect(e.code).toBe('INVALID_OPTIONS');
      expect(e.field).toBe(key);
      expect(e.message).toContain(`"${key}"`);
      expect(e.message).toContain(`did you mean "${near}"`);
    });
  }

  it('composeStream checks them too', async () => {
    const e = await rejected(composeStream(msg, { selfcheck: false } as never));
    expect([e.code, e.field]).toEqual(['INVALID_OPTIONS', 'selfcheck']);
  });

  it('unknown keys inside dkim are refused as well', async () => {
    const dkim = { domainName: 'example.com', keySelector: 's', privateKey: 'x', selector: 's' };
    const e = await rejected(compose(msg, { dkim } as never));
    expect(e.code).toBe('INVALID_OPTIONS');
    expect(e.message).toContain('"selector"');
  });

  it('a name far from every option gets no guess', async () => {
    const e = await rejected(compose(msg, { colour: 'blue' } as never));
    expect(e.message).toContain('"colour"');
    expect(e.message).not.toContain('did you mean');
  });

  it('misspelled message fields get the nearest name too', async () => {
    const e = await rejected(compose({ ...msg, replyto: 'a@example.org' } as never, { now }));
    expect([e.code, e.field]).toEqual(['INVALID_INPUT', 'replyto']);
    expect(e.message).toContain('did you mean "replyTo"');
  });
});

describe('createMailer validates its options when created (12.5)', () => {
  const transport = memoryTransport();
  it('refuses a misspelled envelopeFrom at once', () => {
    const e = caught(() => createMailer({ transport, envelopeForm: 'b@example.com' } as never));
    expect([e.code, e.field]).toEqual(['INVALID_OPTIONS', 'envelopeForm']);
    expect(e.message).toContain('did you mean "envelopeFrom"');
  });
  it('refuses a bad or local envelopeFrom at once, not on the first send', () => {
    expect(caught(() => createMailer({ transport, envelopeFrom: 'not an address' })).code).toBe(
      'INVALID_ENVELOPE_SENDER',
    );
    expect(caught(() => createMailer({ transport, envelopeFrom: 'www-data@localhost' })).code).toBe(
      'INVALID_ENVELOPE_SENDER',
    );
  });
  it('refuses wrong option types at once', () => {
    expect(caught(() => createMailer({ transport, maxRecipients: 'ten' } as never)).code).toBe(
      'INVALID_OPTIONS',
    );
  });
  it('checks per-send overrides too', async () => {
    const mailer = createMailer({ transport, envelopeFrom: 'bounces@example.com' });
    const e = await rejected(mailer.send(msg, { selfcheck: false } as never));
    expect([e.code, e.field]).toEqual(['INVALID_OPTIONS', 'selfcheck']);
    const sent = await mailer.send(msg, { now });
    expect(sent.envelope.from).toBe('bounces@example.com');
  });
});

describe('shape errors say what to give (12.6)', () => {
  const cases: Array<[string, Record<string, unknown>, string, string, RegExp]> = [
    [
      'from: { name, email }',
      { from: { name: 'Shop', email: 'shop@example.com' } },
      'INVALID_INPUT',
      'from.email',
      /rename `email` to `address`/,
    ],
    [
      'to: [{ name, email }]',
      { to: [{ name: 'Erika', email: 'erika@example.org' }] },
      'INVALID_INPUT',
      'to[0].email',
      /rename `email` to `address`/,
    ],
    [
      'to: 42',
      { to: 42 },
      'INVALID_INPUT',
      'to',
      /expected "Name <name@example\.org>", "name@example\.org" or \{ name\?, address \}, or an array of these; got a number/,
    ],
    [
      'from: 42',
      { from: 42 },
      'INVALID_INPUT',
      'from',
      /expected "Name <name@example\.org>".*; got a number/,
    ],
    [
      "nodemailer's attachment { path }",
      { attachments: [{ filename: 'a.pdf', path: '/tmp/a.pdf' }] },
      'INVALID_ATTACHMENT',
      'attachments[0].path',
      /not read from a file or URL.*give content: a string, a Buffer\/Uint8Array or a Readable/,
    ],
    [
      "nodemailer's attachment { href }",
      { attachments: [{ filename: 'a.pdf', href: 'https://example.com/a.pdf' }] },
      'INVALID_ATTACHMENT',
      'attachments[0].href',
      /not read from a file or URL/,
    ],
    [
      'content: { path }',
      { attachments: [{ filename: 'a.pdf', content: { path: '/tmp/a.pdf' } }] },
      'INVALID_ATTACHMENT',
      'attachments[0].content.path',
      /not read from a file or URL/,
    ],
    [
      'content: 42',
      { attachments: [{ filename: 'a.pdf', content: 42 }] },
      'INVALID_ATTACHMENT',
      'attachments[0].content',
      /expected a string, a Buffer\/Uint8Array or a Readable; got a number/,
    ],
    [
      'a comma list in one string',
      { to: 'a@example.org, b@example.org' },
      'INVALID_ADDRESS',
      'to',
      /give several as an array/,
    ],
    [
      'a semicolon list in one string',
      { cc: 'a@example.org; b@example.org' },
      'INVALID_ADDRESS',
      'cc',
      /give several as an array/,
    ],
  ];
  for (const [name, over, code, field, message] of cases) {
    it(name, async () => {
      const e = await rejected(compose({ ...msg, ...over } as never, { now }));
      expect([e.code, e.field]).toEqual([code, field]);
      expect(e.message).toMatch(message);
      expect(e.message).not.toMatch(/Invalid input$/);
    });
  }

  it('a quoted display name with a comma is no list', async () => {
    const { envelope } = await compose({ ...msg, to: '"Doe, John" <j@example.org>' }, { now });
    expect(envelope.to).toEqual(['j@example.org']);
  });
});

describe('nearestName', () => {
  it('finds case and transposition typos, and refuses far names', () => {
    expect(nearestName('envelopeform', ['envelopeFrom', 'selfCheck'])).toBe('envelopeFrom');
    expect(nearestName('SELFCHECK', ['envelopeFrom', 'selfCheck'])).toBe('selfCheck');
    expect(nearestName('x'.repeat(10_000), ['selfCheck'])).toBeUndefined();
    expect(nearestName('dkim', ['envelopeFrom', 'selfCheck'])).toBeUndefined();
  });
});

describe("selfCheck: true, 'full' or false (issue 17)", () => {
  it("accepts 'full' in compose and composeStream (fast path and zod)", async () => {
    expect((await compose(msg, { now, selfCheck: 'full' })).raw.length).toBeGreaterThan(100);
    const { stream } = await composeStream(msg, { now, selfCheck: 'full' });
    for await (const _ of stream);
    // With `now` as a function the options go through zod, not the fast shape check.
    expect((await compose(msg, { now, selfCheck: 'full', maxRecipients: 5 })).raw).toBeTruthy();
  });

  for (const value of ['fast', 'FULL', 1, null]) {
    it(`refuses selfCheck: ${JSON.stringify(value)} with INVALID_OPTIONS`, async () => {
      const e = await rejected(compose(msg, { selfCheck: value } as never));
      expect([e.code, e.field]).toEqual(['INVALID_OPTIONS', 'selfCheck']);
    });
  }
});
