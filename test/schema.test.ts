/**
 * compose()'s fast shape checks (src/compose/schema.ts) may only say yes where zod
 * says yes and gives back the same values: every error still comes from zod.
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contactMessage, newsletterMessage } from '../bench/fixtures.js';
import {
  isPlainMessageInput,
  isPlainOptions,
  messageInputSchema,
  optionsSchema,
} from '../src/compose/schema.js';

const junk = fc.oneof(
  fc.anything(),
  fc.constantFrom(null, 0, 1.5, -1, 2 ** 60, Number.NaN, '', [], {}, new Date(Number.NaN)),
);
const or = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 30, arbitrary: valid }, junk);
const str = fc.string({ maxLength: 8 });
const address = or(
  fc.oneof(str, fc.record({ name: str, address: str }, { requiredKeys: ['address'] })),
);
const addressList = or(fc.oneof(address, fc.array(address, { maxLength: 3 })));
const attachment = or(
  fc.record(
    {
      filename: or(str),
      content: or(fc.oneof(str, fc.uint8Array({ maxLength: 4 }), fc.constant(Readable.from([])))),
      contentType: or(str),
      cid: or(str),
      disposition: or(fc.constantFrom('attachment', 'inline', 'other')),
    },
    { requiredKeys: [] },
  ),
);
const headers = or(
  fc.oneof(
    fc.dictionary(fc.constantFrom('X-A', '__proto__', 'constructor', 'b'), or(str)),
    fc.array(or(fc.tuple(or(str), or(str))), { maxLength: 3 }),
  ),
);
const messageFields = fc.record(
  {
    from: address,
    sender: address,
    to: addressList,
    cc: addressList,
    bcc: addressList,
    replyTo: addressList,
    subject: or(str),
    text: or(fc.oneof(str, fc.uint8Array({ maxLength: 4 }))),
    html: or(str),
    attachments: or(fc.array(attachment, { maxLength: 2 })),
    headers,
    date: or(fc.date({ noInvalidDate: true })),
    messageId: or(str),
    inReplyTo: or(str),
    references: or(fc.array(or(str), { maxLength: 2 })),
    listUnsubscribe: or(
      fc.record(
        { url: or(str), mailto: or(str), oneClick: or(fc.boolean()) },
        { requiredKeys: [] },
      ),
    ),
    autoSubmitted: or(fc.constantFrom('auto-generated', 'auto-replied', 'no')),
    envelope: or(
      fc.record(
        { from: or(str), to: or(fc.array(or(str), { maxLength: 2 })) },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: ['from', 'subject'] },
);
/** Mostly known fields; now and then an unknown one. */
const message = fc
  .tuple(messageFields, fc.option(junk, { freq: 10 }))
  .map(([m, extra]) => (extra === null ? m : { ...m, unknownField: extra }));
const options = fc.record(
  {
    envelopeFrom: or(str),
    messageIdDomain: or(str),
    smtputf8: or(fc.boolean()),
    maxRecipients: or(fc.integer({ min: -2, max: 200 })),
    textFromHtml: or(fc.boolean()),
    selfCheck: or(fc.oneof(fc.boolean(), fc.constantFrom('full', 'fast'))),
    now: fc.constantFrom(undefined, () => new Date(0)),
    dkim: fc.constantFrom(undefined, { domainName: 'x', keySelector: 's', privateKey: 'k' }),
    somethingElse: junk,
  },
  { requiredKeys: [] },
);

describe('fast shape checks', () => {
  it('accept a message only where zod accepts it and returns the same values', () => {
    let accepted = 0;
    fc.assert(
      fc.property(message, (m) => {
        if (!isPlainMessageInput(m)) return;
        accepted++;
        const r = messageInputSchema.safeParse(m);
        expect(r.success).toBe(true);
        expect(r.data).toEqual(m);
      }),
      { numRuns: 4000 },
    );
    expect(accepted).toBeGreaterThan(50);
  });

  it('accept options only where zod accepts them with the same known values', () => {
    let accepted = 0;
    fc.assert(
      fc.property(options, (o) => {
        if (!isPlainOptions(o)) return;
        accepted++;
        const r = optionsSchema.safeParse(o);
        expect(r.success).toBe(true);
        const { somethingElse: _, ...known } = o as Record<string, unknown>;
        expect(r.data).toEqual(known);
      }),
      { numRuns: 5000 },
    );
    expect(accepted).toBeGreaterThan(50);
  });

  it('take the usual shapes (so compose() skips zod for them)', () => {
    expect(isPlainMessageInput(contactMessage())).toBe(true);
    expect(isPlainMessageInput(newsletterMessage('text'))).toBe(true);
    expect(
      isPlainMessageInput({
        from: 'a@example.com',
        to: ['b@example.org', { name: 'C', address: 'c@example.org' }],
        subject: 's',
        text: Buffer.from('x'),
        attachments: [{ filename: 'a.txt', content: 'x', disposition: 'inline', cid: 'a' }],
        headers: [['X-A', 'b']],
        envelope: { from: '', to: ['b@example.org'] },
      }),
    ).toBe(true);
    expect(isPlainOptions({ envelopeFrom: 'bounces@example.com', selfCheck: false })).toBe(true);
  });

  it('leave everything unusual to zod', () => {
    const base = { from: 'a@example.com', subject: 's' };
    for (const m of [
      { ...base, bogus: 1 },
      { ...base, date: new Date(Number.NaN) },
      { ...base, headers: JSON.parse('{"__proto__": "x"}') },
      { ...base, to: [undefined] },
      { ...base, attachments: [{ content: 'x', extra: 1 }] },
      { ...base, envelope: { from: 'a@example.com', x: 1 } },
      { ...base, listUnsubscribe: { url: 'https://x.example/', y: 1 } },
      Object.assign(Object.create({ inherited: 1 }), base),
      new (class {
        from = 'a@example.com';
        subject = 's';
      })(),
      [base],
    ])
      expect(isPlainMessageInput(m)).toBe(false);
    for (const o of [{ now: () => new Date() }, { maxRecipients: 2 ** 60 }, { dkim: [] }, null])
      expect(isPlainOptions(o)).toBe(false);
  });

  // The fast checks are a hand-written chain (inlined by V8); the schema's key
  // sets are derived. A schema field the chain forgets would let any value pass.
  const nested = {
    attachments: (bad: unknown) => [{ content: 'x', filename: bad }],
    listUnsubscribe: (bad: unknown) => ({ url: bad }),
    envelope: (bad: unknown) => ({ from: bad }),
  };
  it('check every field of messageInputSchema (a value of the wrong type is never passed)', () => {
    const base = { from: 'a@example.com', subject: 's' };
    for (const key of Object.keys(messageInputSchema.shape)) {
      const m = { ...base, [key]: Symbol('wrong') };
      expect(messageInputSchema.safeParse(m).success, key).toBe(false);
      expect(isPlainMessageInput(m), key).toBe(false);
    }
    for (const [key, wrap] of Object.entries(nested)) {
      const m = { ...base, [key]: wrap(42) };
      expect(messageInputSchema.safeParse(m).success, key).toBe(false);
      expect(isPlainMessageInput(m), key).toBe(false);
    }
  });
  it('check every field of optionsSchema', () => {
    for (const key of Object.keys(optionsSchema.shape)) {
      const o = { [key]: Symbol('wrong') };
      expect(optionsSchema.safeParse(o).success, key).toBe(false);
      expect(isPlainOptions(o), key).toBe(false);
    }
  });
});
