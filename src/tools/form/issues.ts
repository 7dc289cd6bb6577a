/** zod issues and compose() errors → the form's field errors. */
import type { z } from 'zod';
import type { MailHygieneError } from '../../wire/index.js';
import type { ContactFormError, ContactFormErrorCode } from './types.js';

function fieldOf(path: readonly PropertyKey[]): string | null {
  if (path.length === 0) return null;
  return path.map((p) => String(p)).join('.');
}

/** One zod issue as a field error with a stable code. */
export function issueToError(issue: z.core.$ZodIssue, input: unknown): ContactFormError {
  const field = fieldOf(issue.path);
  const label = field ?? 'input';
  const custom = (issue as { params?: { code?: unknown } }).params?.code;
  if (issue.code === 'custom' && typeof custom === 'string') {
    return { field, code: custom as ContactFormErrorCode, message: issue.message };
  }
  switch (issue.code) {
    case 'invalid_type': {
      const value = valueAt(input, issue.path);
      if (value === undefined) return { field, code: 'REQUIRED', message: `${label} is required` };
      return { field, code: 'INVALID_TYPE', message: `${label} must be a ${issue.expected}` };
    }
    case 'too_big':
      return { field, code: 'TOO_LONG', message: issue.message };
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) {
        return { field, code: 'REQUIRED', message: `${label} is required` };
      }
      return { field, code: 'INVALID_VALUE', message: `${label}: ${issue.message}` };
    default:
      return { field, code: 'INVALID_VALUE', message: `${label}: ${issue.message}` };
  }
}

/** Reads own properties only: an inherited `name` must not count as given. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** First error per field, in order: one clear message per input box. */
export function firstPerField(errors: ContactFormError[]): ContactFormError[] {
  const seen = new Set<string | null>();
  return errors.filter((e) => {
    if (seen.has(e.field)) return false;
    seen.add(e.field);
    return true;
  });
}

/** compose() input fields → form fields (what the visitor typed). */
const FIELD_OF_INPUT: Record<string, string> = {
  'replyTo.name': 'name',
  'replyTo.address': 'email',
  replyTo: 'email',
  subject: 'subject',
  text: 'message',
};

/**
 * A compose() refusal as a field error. Fields the visitor controls map back
 * to their form names; anything else (the site's configuration) has field null.
 */
export function composeErrorToError(e: MailHygieneError): ContactFormError {
  const field = e.field === undefined ? null : (FIELD_OF_INPUT[e.field] ?? null);
  return { field, code: e.code, message: e.message };
}
