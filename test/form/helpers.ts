/** Shared setup of the contact-form tests: a form, corpus loading, an independent header reader. */
import { readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { z } from 'zod';
import { contactForm } from '../../src/form/index.js';
import type { ContactFormConfig } from '../../src/form/types.js';

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

export interface CorpusCase {
  id: string;
  field: string;
  input: string | null;
  generate?: {
    prefix?: string;
    unit: string;
    times: number;
    join?: string;
    suffix?: string;
    truncate?: number;
    bytes_hex?: string;
  };
  expected: string;
  error_code: string | null;
  contexts?: Record<string, string>;
}

export const corpus: CorpusCase[] = JSON.parse(
  readFileSync(new URL('../fixtures/corpus/bad-inputs.json', import.meta.url), 'utf8'),
).cases;

/** The input of a case, generated cases expanded as the corpus README describes. */
export function inputOf(c: CorpusCase): string | null {
  if (c.input !== null) return c.input;
  const g = c.generate;
  if (!g || g.bytes_hex !== undefined || g.unit === undefined) return null;
  const units = Array.from({ length: g.times }, (_, i) => g.unit.replaceAll('{i}', String(i)));
  const s = (g.prefix ?? '') + units.join(g.join ?? '') + (g.suffix ?? '');
  return g.truncate !== undefined ? s.slice(0, g.truncate) : s;
}

/**
 * Top-level header field names, lower-cased, in order, as mailparser reads them
 * (an independent parser, not ours). Repeated fields appear repeatedly.
 */
export async function headerNames(raw: Buffer): Promise<string[]> {
  const parsed = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true });
  return parsed.headerLines.map((h) => h.key);
}
