/**
 * The 20 MiB attachment variants, shared by the in-process throughput bench
 * and the per-variant child process that measures peak RSS. Each variant
 * builds one complete message and returns its size in bytes (streams are
 * drained into a counter, never held).
 */
import { compose, composeStream } from '../src/compose/compose.js';
import {
  drain,
  emailjsAttachmentRead,
  mimetextAttachment,
  nodemailerAttachmentBuild,
  nodemailerAttachmentStream,
} from './competitors.js';
import { attachmentBuffer, attachmentMessage, attachmentReadable } from './fixtures.js';

const OPTIONS = { envelopeFrom: 'bounces@example.com' };

export const attachmentVariants: Record<string, () => Promise<number>> = {
  'nodemailer stream(Buffer)': () => nodemailerAttachmentStream(attachmentBuffer()),
  'nodemailer stream(Readable)': () => nodemailerAttachmentStream(attachmentReadable()),
  'nodemailer build(Buffer)': async () =>
    (await nodemailerAttachmentBuild(attachmentBuffer())).length,
  'mailhygiene compose(Buffer)': async () =>
    (await compose(attachmentMessage('buffer'), OPTIONS)).raw.length,
  'mailhygiene compose(Readable)': async () =>
    (await compose(attachmentMessage('readable'), OPTIONS)).raw.length,
  'mailhygiene composeStream(Buffer)': async () =>
    drain((await composeStream(attachmentMessage('buffer'), OPTIONS)).stream),
  'mailhygiene composeStream(Readable)': async () =>
    drain((await composeStream(attachmentMessage('readable'), OPTIONS)).stream),
  'emailjs readAsync(Readable)': async () =>
    (await emailjsAttachmentRead(attachmentReadable())).length,
  'mimetext asRaw (caller base64, unwrapped)': async () =>
    mimetextAttachment(attachmentBuffer()).length,
};
