/** Shared setup of the contact-form tests: a form, corpus loading, an independent header reader. */
import { simpleParser } from 'mailparser';
import { z } from 'zod';
import { contactForm } from '../../src/tools/form/index.js';
import type { ContactFormConfig } from '../../src/tools/form/types.js';

export const SITE_FROM = 'Website <noreply@example.com>';
export const SITE_TO = 'Support <support@example.com>';

/** A form with one extra field and a honeypot, as a site would configure it. */
export function makeForm<S = unknown>(over: Partial<ContactFormConfig<S>> = {}) {
  return contactForm<S>({
    to: SITE_TO,
    from: SITE_FROM,
    fields: { company: z.string().max(100).optional(), seats: z.number().int().min(1).optional() },
    honeypot: 'website',
    ...over,
  });
}

/** A valid visitor body; tests change one field at a time. */
export function goodBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Erika Mustermann',
    email: 'erika@example.org',
    subject: 'Angebot',
    message: 'Hallo,\nich hätte gern ein Angebot.\n\nGrüße',
    ...over,
  };
}

export { type CorpusCase, cases as corpus, textInputOf as inputOf } from '../support/corpus.js';

/**
 * Top-level header field names, lower-cased, in order, as mailparser reads them
 * (an independent parser, not ours). Repeated fields appear repeatedly.
 */
export async function headerNames(raw: Buffer): Promise<string[]> {
  const parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true });
  return parsed.headerLines.map((h) => h.key);
}
