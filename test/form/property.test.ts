/**
 * Properties of handle(): for any JSON-ish body, with hostile strings in any
 * field, it never throws, and answers either field errors with stable codes or
 * a message whose parsed header set is exactly the expected one (judged by
 * CPython's email package and mailparser).
 */
import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { isForbiddenFormField } from '../../src/tools/form/index.js';
import type { ContactFormResult } from '../../src/tools/form/types.js';
import { pyFindings, usePythonEmail } from '../support/python-email.js';
import { hostileString, hostileText, safeString } from '../support/unicode.js';
import { goodBody, headerNames, makeForm } from './helpers.js';

const py = usePythonEmail();

const form = makeForm();

const CODES = new Set([
  'REQUIRED',
  'INVALID_TYPE',
  'TOO_LONG',
  'INVALID_CHARACTERS',
  'INVALID_VALUE',
  'HEADER_INJECTION',
  'INVALID_ADDRESS',
  'SMTPUTF8_REQUIRED',
  'HTML_IN_SUBJECT',
  'FORM_FIELD',
  'SPAM',
]);
const FIELDS = new Set([
  'name',
  'email',
  'subject',
  'message',
  'company',
  'seats',
  'website',
  'to',
  'cc',
  'bcc',
  'from',
  'Reply-To',
  'headers',
  '__proto__',
  'constructor',
]);
const EXPECTED_HEADERS = [
  'auto-submitted',
  'content-transfer-encoding',
  'content-type',
  'date',
  'from',
  'message-id',
  'mime-version',
  'reply-to',
  'subject',
  'to',
];

const KEYS = [...FIELDS, 'extra', 'submit', 'x-y'];
const value = fc.oneof(
  hostileString(20),
  safeString(20),
  fc.emailAddress(),
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom('', null, 0, true, [], {}),
);
/** Bodies of any shape: objects with known, forbidden and unknown keys, or anything at all. */
const anyBody = fc.oneof(
  fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 8 }),
  fc.anything({ maxDepth: 3 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Bodies that are mostly right, so many of them compose: hostile text in each visitor field. */
const nearGoodBody = fc.record({
  name: fc.oneof(safeString(12), hostileString(12)),
  email: fc.oneof(fc.emailAddress(), fc.constantFrom('erika@example.org', 'x@bücher.example')),
  subject: fc.option(fc.oneof(safeString(20), hostileString(20)), { nil: undefined }),
  message: hostileText,
  company: fc.option(hostileText, { nil: undefined }),
});

function checkErrors(r: ContactFormResult): void {
  if (r.ok) return;
  expect(r.errors.length).toBeGreaterThan(0);
  for (const e of r.errors) {
    expect(CODES).toContain(e.code);
    expect(typeof e.message).toBe('string');
    // Random keys may spell a forbidden name (`TO`, `Cc`): those must be FORM_FIELD.
    if (e.field !== null && !FIELDS.has(e.field)) {
      expect(isForbiddenFormField(e.field)).toBe(true);
      expect(e.code).toBe('FORM_FIELD');
    }
  }
}

async function checkMessage(r: ContactFormResult): Promise<void> {
  if (!r.ok) return;
  const judged = await py.check(r.message.raw);
  expect(pyFindings(judged)).toEqual([]);
  expect(judged.headers.from).toEqual([{ name: 'Website', address: 'noreply@example.com' }]);
  expect(judged.headers.to).toEqual([{ name: 'Support', address: 'support@example.com' }]);
  expect(judged.headers.cc).toBeNull();
  expect(judged.headers.sender).toBeNull();
  expect(judged.headers.replyTo?.map((a) => a.address)).toEqual([r.data.email]);
  expect((await headerNames(r.message.raw)).sort()).toEqual(EXPECTED_HEADERS);
  expect(r.message.envelope).toEqual({ from: 'noreply@example.com', to: ['support@example.com'] });
}

describe('handle() properties', () => {
  it('never throws on bodies of any shape; errors carry known codes and fields', async () => {
    await fc.assert(
      fc.asyncProperty(anyBody, async (body) => {
        const r = await form.handle(body);
        checkErrors(r);
        await checkMessage(r);
      }),
      { numRuns: 400 },
    );
  });

  it('near-valid bodies with hostile text: field errors, or exactly the expected headers', async () => {
    let composed = 0;
    await fc.assert(
      fc.asyncProperty(nearGoodBody, async (body) => {
        const r = await form.handle(body);
        checkErrors(r);
        await checkMessage(r);
        if (r.ok) {
          composed++;
          // The visitor's name comes back in Reply-To, and the subject keeps its prefix.
          // Names are compared with mailparser: CPython 3.11 inserts a space between
          // adjacent encoded-words when the first one decodes to text containing "=?…?=".
          const parsed = await simpleParser(r.message.raw);
          const replyTo = Array.isArray(parsed.replyTo) ? parsed.replyTo[0] : parsed.replyTo;
          // (Addresses were checked with Python above; mailparser shows IDN domains in Unicode.)
          expect(replyTo?.value.map((a: { name: string }) => a.name)).toEqual([r.data.name]);
          expect(parsed.subject).toBe(
            r.data.subject === undefined ? 'Contact form' : `Contact form: ${r.data.subject}`,
          );
        }
      }),
      { numRuns: 300 },
    );
    // The property must not hold vacuously.
    expect(composed).toBeGreaterThan(30);
  });

  it('one injected forbidden field always fails the whole submission', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('to', 'cc', 'bcc', 'from', 'replyTo', 'headers', 'recipient'),
        value,
        async (key, v) => {
          const r = await form.handle(goodBody({ [key]: v }));
          expect(r.ok).toBe(false);
          if (!r.ok)
            expect(r.errors).toContainEqual(
              expect.objectContaining({ field: key, code: 'FORM_FIELD' }),
            );
        },
      ),
      { numRuns: 200 },
    );
  });
});
