/**
 * Zod schemas of the public input. They check shapes and types only; the
 * content of every field is checked by the parsers that turn it into typed
 * values (addresses, header values), which give the precise error codes.
 * Exported so apps can reuse them (e.g. to validate JSON before compose()).
 */
import { Readable } from 'node:stream';
import { z } from 'zod';
import { MailHygieneError } from './errors.js';

const str = z.string();
export const addressInputSchema = z.union([
  str,
  z.object({ name: str.optional(), address: str }).strict(),
]);
export const addressListSchema = z.union([addressInputSchema, z.array(addressInputSchema)]);

export const attachmentSchema = z
  .object({
    filename: str.optional(),
    content: z.union([str, z.instanceof(Uint8Array), z.instanceof(Readable)]),
    contentType: str.optional(),
    cid: str.optional(),
    disposition: z.enum(['attachment', 'inline']).optional(),
  })
  .strict();

export const messageInputSchema = z
  .object({
    from: addressInputSchema,
    sender: addressInputSchema.optional(),
    to: addressListSchema.optional(),
    cc: addressListSchema.optional(),
    bcc: addressListSchema.optional(),
    replyTo: addressListSchema.optional(),
    subject: str,
    text: z.union([str, z.instanceof(Uint8Array)]).optional(),
    html: z.union([str, z.instanceof(Uint8Array)]).optional(),
    attachments: z.array(attachmentSchema).optional(),
    headers: z.union([z.record(str, str), z.array(z.tuple([str, str]))]).optional(),
    date: z.date().optional(),
    messageId: str.optional(),
    inReplyTo: str.optional(),
    references: z.array(str).optional(),
    listUnsubscribe: z
      .object({ url: str.optional(), mailto: str.optional(), oneClick: z.boolean().optional() })
      .strict()
      .optional(),
    autoSubmitted: z.enum(['auto-generated', 'auto-replied']).optional(),
    envelope: z
      .object({ from: str.optional(), to: z.array(str).optional() })
      .strict()
      .optional(),
  })
  .strict();

const dkimSchema = z.object({
  domainName: str,
  keySelector: str,
  privateKey: z.union([
    str,
    z.custom<import('node:crypto').KeyObject>((v) => typeof v === 'object' && v !== null),
  ]),
  algorithm: z.enum(['rsa-sha256', 'ed25519-sha256']).optional(),
  headers: z.array(str).optional(),
  allowUnaligned: z.boolean().optional(),
});

export const optionsSchema = z.object({
  envelopeFrom: str.optional(),
  messageIdDomain: str.optional(),
  smtputf8: z.boolean().optional(),
  maxRecipients: z.number().int().positive().optional(),
  textFromHtml: z.boolean().optional(),
  selfCheck: z.boolean().optional(),
  dkim: z.union([dkimSchema, z.array(dkimSchema)]).optional(),
  now: z.function().optional(),
});

/** Field path of a zod issue as `attachments[0].content`. */
function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    '',
  );
}

/** Parses with a schema; a mismatch is a typed error naming the field. */
export function parseShape<T>(schema: z.ZodType<T>, value: unknown, what: 'input' | 'options'): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = pathOf(issue.path) || what;
  const code =
    what === 'options'
      ? 'INVALID_OPTIONS'
      : field.startsWith('attachments')
        ? 'INVALID_ATTACHMENT'
        : field === 'text' || field === 'html'
          ? 'INVALID_BODY'
          : 'INVALID_INPUT';
  const msg =
    issue.code === 'unrecognized_keys'
      ? `unknown field(s) ${issue.keys.join(', ')}`
      : issue.message;
  throw new MailHygieneError(code, `${field}: ${msg}`, {
    field: issue.code === 'unrecognized_keys' && field === what ? issue.keys[0] : field,
  });
}
