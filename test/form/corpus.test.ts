/**
 * The bad-input corpus, contact-form context: every case with a `contact_form`
 * context or a FORM_FIELD code, posted to the form the way a visitor would.
 * Also: every case the builder rejects in a field the visitor fills is
 * rejected by the form too (the form is never more lenient than compose).
 */
import { describe, expect, it } from 'vitest';
import type { ContactFormResult } from '../../src/tools/form/types.js';
import { corpus, goodBody, inputOf, makeForm } from './helpers.js';

const form = makeForm();

function errorsOf(r: ContactFormResult): Array<{ field: string | null; code: string }> {
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.errors.map(({ field, code }) => ({ field, code }));
}

/**
 * How each selected case reaches the form: which body field carries the input
 * and which code the form answers. Codes differ from the builder's where the
 * form is stricter (quoted local parts, homographs, bidi names are refused
 * outright) or where the field itself is forbidden (FORM_FIELD).
 */
const CONTACT_CASES: Record<string, Array<{ field: string; code: string }>> = {
  'to-address-quoted-percent-crlf': [{ field: 'email', code: 'INVALID_ADDRESS' }],
  'subject-u2028': [{ field: 'subject', code: 'HEADER_INJECTION' }],
  'subject-u2029': [{ field: 'subject', code: 'HEADER_INJECTION' }],
  'to-address-quoted-localpart-at-gmail': [{ field: 'email', code: 'INVALID_ADDRESS' }],
  'address-quoted-pair-localpart': [{ field: 'email', code: 'INVALID_ADDRESS' }],
  'domain-cyrillic-homograph': [{ field: 'email', code: 'INVALID_ADDRESS' }],
  'localpart-non-ascii-no-smtputf8': [{ field: 'email', code: 'SMTPUTF8_REQUIRED' }],
  'from-name-bidi-override': [{ field: 'name', code: 'INVALID_CHARACTERS' }],
  'contact-form-user-chosen-recipient': [
    { field: 'to', code: 'FORM_FIELD' },
    { field: 'recipient', code: 'FORM_FIELD' },
  ],
  // A list where one address belongs: as recipients it is forbidden, as the visitor's email too long.
  'recipients-1000-list': [
    { field: 'to', code: 'FORM_FIELD' },
    { field: 'email', code: 'TOO_LONG' },
  ],
  'contact-form-cc-field': [
    { field: 'cc', code: 'FORM_FIELD' },
    { field: 'Cc', code: 'FORM_FIELD' },
  ],
  'contact-form-visitor-in-from': [{ field: 'from', code: 'FORM_FIELD' }],
  'filename-crlf': [{ field: 'attachments', code: 'FORM_FIELD' }],
};

const selected = corpus.filter(
  (c) => c.contexts?.['contact_form'] || c.error_code === 'FORM_FIELD',
);

describe('corpus cases for contact forms', () => {
  it('every selected case has a mapping, and every mapping a case', () => {
    expect(selected.map((c) => c.id).sort()).toEqual(Object.keys(CONTACT_CASES).sort());
  });

  for (const c of selected) {
    for (const { field, code } of CONTACT_CASES[c.id] ?? []) {
      it(`${c.id}: ${field} → ${code}`, async () => {
        const value =
          field === 'attachments' ? [{ filename: inputOf(c), content: 'x' }] : inputOf(c);
        // Expected by the corpus: the form rejects (or, for visitor-in-from, never uses From).
        expect(c.contexts?.['contact_form'] ?? c.expected).toMatch(/^(reject|move to Reply-To)$/);
        const r = await form.handle(goodBody({ [field]: value }));
        expect(errorsOf(r)).toContainEqual({ field, code });
      });
    }
  }

  it('contact-form-visitor-in-from: the same address as the visitor email goes into Reply-To only', async () => {
    const visitor = corpus.find((c) => c.id === 'contact-form-visitor-in-from')!.input!;
    const r = await form.handle(goodBody({ email: visitor }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const head = r.message.raw.toString('latin1').split('\r\n\r\n')[0]!;
    expect(head).toMatch(/^From: Website <noreply@example\.com>$/m);
    expect(head).toMatch(/^Reply-To: Erika Mustermann <visitor@gmail\.com>$/m);
    expect(r.message.envelope).toEqual({
      from: 'noreply@example.com',
      to: ['support@example.com'],
    });
  });
});

/** Corpus fields a visitor fills, and the form field that carries them. */
const VISITOR_FIELD: Record<string, string> = {
  subject: 'subject',
  from_name: 'name',
  to_address: 'email',
  from_address: 'email',
  reply_to: 'email',
  cc_address: 'email',
  body_text: 'message',
};

describe('the form is never more lenient than compose()', () => {
  const rejects = corpus.filter(
    (c) =>
      c.expected === 'reject' &&
      VISITOR_FIELD[c.field] !== undefined &&
      c.error_code !== 'FORM_FIELD' &&
      inputOf(c) !== null,
  );
  it('has cases to check', () => {
    expect(rejects.length).toBeGreaterThan(30);
  });
  for (const c of rejects) {
    const field = VISITOR_FIELD[c.field]!;
    it(`${c.id} in ${field} is refused with an error on ${field}`, async () => {
      const r = await form.handle(goodBody({ [field]: inputOf(c) }));
      const errors = errorsOf(r);
      expect(errors.map((e) => e.field)).toContain(field);
    });
  }
});
