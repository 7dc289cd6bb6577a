/** The text body of a contact-form message: every field, readable, labelled. */
import type { ContactData } from './types.js';

/** Continuation lines are indented so a value cannot pose as another `label:` line. */
function indentContinuation(value: string): string {
  return value.replace(/\r\n|\r|\n/g, '\n  ');
}

/** An extra field's value as text: strings as typed, everything else as JSON. */
function formatValue(value: unknown): string {
  if (typeof value === 'string') return indentContinuation(value);
  if (value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    // Cycles and the like: a schema that returns such a value is the site's choice.
    return String(value);
  }
}

/**
 * Builds the body:
 *
 * ```text
 * Name: Erika Mustermann
 * Email: erika@example.org
 * Subject: Angebot
 * company: ACME
 *
 * Message:
 *
 * Hallo …
 * ```
 */
export function formatContactBody(data: ContactData, extraFields: readonly string[]): string {
  const lines = [`Name: ${data.name}`, `Email: ${data.email}`];
  if (data.subject !== undefined) lines.push(`Subject: ${data.subject}`);
  for (const key of extraFields) {
    if (Object.hasOwn(data, key) && data[key] !== undefined) {
      lines.push(`${key}: ${formatValue(data[key])}`);
    }
  }
  lines.push('', 'Message:', '', data.message);
  return lines.join('\n');
}
