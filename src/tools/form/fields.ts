/**
 * The default fields of a contact form as zod schemas. Exported so apps can
 * reuse them (client-side validation, an API layer). Every problem is a zod
 * issue carrying a stable code in `params.code` (see ./issues.ts).
 */
import { z } from 'zod';
import { MAX_ADDRESS, MailHygieneError, parseMailbox } from '../../wire/index.js';
import { mixedScriptLabel, wholeScriptConfusableLabel } from './script.js';
import { checkMultiLine, checkSingleLine, type TextProblem } from './text-checks.js';
import type { ContactFormErrorCode } from './types.js';

const MAX_NAME = 200;
export const MAX_SUBJECT = 200;
/** RFC 5321 §4.5.3.1.3: a path is at most 256 octets including the angle brackets. */
const MAX_EMAIL = MAX_ADDRESS;
export const DEFAULT_MAX_LENGTH = 20_000;

type Ctx = z.core.$RefinementCtx<string>;

function report(ctx: Ctx, problem: TextProblem): void {
  ctx.addIssue({ code: 'custom', message: problem.message, params: { code: problem.code } });
}

function required(ctx: Ctx, field: string): void {
  report(ctx, { code: 'REQUIRED', message: `${field} is required` });
}

function tooLong(field: string, max: number) {
  // abort: a 10 MB string is refused before any character scan runs over it.
  return { abort: true, error: `${field} is longer than ${max} characters` } as const;
}

/** The visitor's name: 1–200 characters, one line, no bidi controls. */
export const contactNameSchema = z
  .string({ error: 'name must be a string' })
  .max(MAX_NAME, tooLong('name', MAX_NAME))
  .superRefine((v, ctx) => {
    if (v.trim() === '') return required(ctx, 'name');
    const p = checkSingleLine(v, 'name');
    if (p) report(ctx, p);
  });

/** The visitor's subject: optional (empty or null means none), one line, ≤ 200 characters. */
export const contactSubjectSchema = z
  .string({ error: 'subject must be a string' })
  .max(MAX_SUBJECT, tooLong('subject', MAX_SUBJECT))
  .superRefine((v, ctx) => {
    const p = checkSingleLine(v, 'subject');
    if (p) report(ctx, p);
  })
  .nullish()
  .transform((v) => (v == null || v.trim() === '' ? undefined : v));

/** The message body: required, multi-line, at most `maxLength` characters. */
export function contactMessageSchema(maxLength: number = DEFAULT_MAX_LENGTH) {
  return z
    .string({ error: 'message must be a string' })
    .max(maxLength, tooLong('message', maxLength))
    .superRefine((v, ctx) => {
      if (v.trim() === '') return required(ctx, 'message');
      const p = checkMultiLine(v, 'message');
      if (p) report(ctx, p);
    });
}

/** Result of {@link checkVisitorAddress}. */
export type VisitorAddressResult =
  | { ok: true; address: string }
  | { ok: false; code: ContactFormErrorCode; message: string };

/**
 * Checks the visitor's address with the same parser compose() uses, plus the
 * stricter rules of a form: a bare addr-spec (no name, no angle brackets), no
 * quoted local part, ASCII local part (no SMTPUTF8), no domain label that
 * mixes scripts (homographs such as `аpple.com` with a Cyrillic а) or is
 * written wholly in Cyrillic or Greek letters that imitate Latin (`раураӏ.com`).
 *
 * @example
 * ```ts
 * checkVisitorAddress('erika@bücher.example') // → { ok: true, address: 'erika@xn--bcher-kva.example' }
 * checkVisitorAddress('admin@аpple.com')      // → { ok: false, code: 'INVALID_ADDRESS', … }
 * ```
 */
export function checkVisitorAddress(value: string): VisitorAddressResult {
  if (value.trim() === '') return { ok: false, code: 'REQUIRED', message: 'email is required' };
  if (value.includes('"')) {
    return {
      ok: false,
      code: 'INVALID_ADDRESS',
      message: 'email: quoted local parts are not accepted in a form',
    };
  }
  if (value.includes('<') || value.includes('>')) {
    return {
      ok: false,
      code: 'INVALID_ADDRESS',
      message: 'email: give the address alone, without a name or angle brackets',
    };
  }
  let address: string;
  let domain: string;
  try {
    // Always without SMTPUTF8: the reply goes out from someone's mail client, not from us.
    ({ address, domain } = parseMailbox(value, 'email', { smtputf8: false }));
  } catch (e) {
    if (e instanceof MailHygieneError) {
      // compose() would tell a developer to set smtputf8; a visitor needs another hint.
      const message =
        e.code === 'SMTPUTF8_REQUIRED'
          ? 'email: non-ASCII characters before the "@" are not accepted; use an ASCII address'
          : e.message;
      return { ok: false, code: e.code, message };
    }
    throw e;
  }
  const mixed = mixedScriptLabel(domain);
  if (mixed !== null) {
    return {
      ok: false,
      code: 'INVALID_ADDRESS',
      message: `email: the domain label "${mixed}" mixes scripts and imitates another name`,
    };
  }
  const lookalike = wholeScriptConfusableLabel(domain);
  if (lookalike !== null) {
    return {
      ok: false,
      code: 'INVALID_ADDRESS',
      message: `email: the domain label "${lookalike.label}" is written in letters that imitate "${lookalike.looksLike}"`,
    };
  }
  return { ok: true, address };
}

/** The visitor's address; the output is the normalised address (IDN as A-labels). */
export const contactEmailSchema = z
  .string({ error: 'email must be a string' })
  .max(MAX_EMAIL, tooLong('email', MAX_EMAIL))
  .transform((v, ctx) => {
    const r = checkVisitorAddress(v);
    if (r.ok) return r.address;
    ctx.addIssue({ code: 'custom', message: r.message, params: { code: r.code } });
    return z.NEVER;
  });

/** Checks a string that goes into the body for characters a text part cannot carry. */
export function bodyTextSchema(field: string) {
  return z.string().superRefine((v, ctx) => {
    const p = checkMultiLine(v, field);
    if (p) report(ctx, p);
  });
}
