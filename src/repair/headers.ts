/**
 * The top-level header block of a legacy message → rendered fields. Fields
 * that are clean 7-bit lines pass through as written (line ends made CRLF);
 * the rest become typed values (mailboxes, text, dates, msg-ids) and go
 * through the composer's renderers. The root entity's MIME fields are left
 * out: the MIME rebuild renders them.
 */

import { checkDate, type HeaderField, type ParsedMessage, unfold } from '../read/index.js';
import type { Mailbox } from '../wire/index.js';
import {
  findUnsafeCodePoint,
  formatDate,
  generateMessageId,
  MAX_LINE_LENGTH,
  MailHygieneError,
  parseAddrSpec,
  parseMessageId,
  renderAddressList,
  renderUnstructured,
} from '../wire/index.js';
import { readAddressList, renderAddressField, toMailboxes } from './addresses.js';
import { refuse } from './refuse.js';
import { decodeHeaderWords, rawHeaderCharset, readHeaderBinary } from './text.js';

export interface HeaderSettings {
  legacyCharset: string;
  maxRecipients: number;
  now: () => Date;
  defaultFrom: string | undefined;
  messageIdDomain: string | undefined;
  /** Lines of top-level fields a lint finding points at: those are re-rendered. */
  flagged: ReadonlySet<number>;
  /** Lint found the Message-ID malformed (an error): a well-formed one replaces it if rewriting cannot fix it. */
  messageIdInvalid: boolean;
  /**
   * Header-only repair: the body is not rebuilt, so the message's own MIME
   * fields stay as written, in place (MIME-Version too, unless flagged), and
   * MIME-Version is added only when lint asked for it.
   */
  keepMime?: { addMimeVersion: boolean } | undefined;
}

export interface RepairedHeaders {
  /** Rendered fields, CRLF-terminated, in the original order (MIME-Version last). */
  lines: string[];
  from: Mailbox;
  /** To, Cc and Bcc mailboxes (Bcc is not in `lines`). */
  recipients: Mailbox[];
  /** Resent-To, Resent-Cc and Resent-Bcc mailboxes (Resent-Bcc is not in `lines`). */
  resentRecipients: Mailbox[];
  /** Address of a removed Return-Path field, a hint for the envelope sender. */
  returnPath: string | undefined;
}

const ADDRESS_FIELDS: Record<string, string> = {
  from: 'From',
  sender: 'Sender',
  'reply-to': 'Reply-To',
  to: 'To',
  cc: 'Cc',
  bcc: 'Bcc',
  'resent-to': 'Resent-To',
  'resent-cc': 'Resent-Cc',
  'resent-bcc': 'Resent-Bcc',
};
/** Fields whose mailboxes are envelope recipients (the Resent- ones for a resend). */
const RECIPIENT_FIELDS = new Set(['to', 'cc', 'bcc']);
const RESENT_RECIPIENT_FIELDS = new Set(['resent-to', 'resent-cc', 'resent-bcc']);
/** The root entity's MIME fields: rendered by the MIME rebuild. */
const MIME_FIELDS = new Set([
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
  'content-id',
  'content-length',
]);
/** Fields whose value is free text, so RFC 2047 words may carry what raw bytes did. */
const UNSTRUCTURED = new Set(['subject', 'comments', 'organization', 'thread-topic', 'user-agent']);

function isPhpFingerprint(msg: ParsedMessage, h: HeaderField): boolean {
  if (h.key === 'x-php-originating-script' || h.key === 'x-php-script') return true;
  return h.key === 'x-mailer' && /^\s*PHP(\/[\d.]+)?\s*$/i.test(unfold(msg, h));
}

/** The field exactly as written with CRLF line ends, or undefined when it is not clean 7-bit. */
function verbatim(msg: ParsedMessage, h: HeaderField): string | undefined {
  const raw = msg.bytes.toString('latin1', h.start, h.end);
  const lines = raw.split(/\r?\n/);
  for (const line of lines) {
    if (line.length > MAX_LINE_LENGTH || /[^\x09\x20-\x7e]/.test(line)) return undefined;
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** A field as written, line ends made CRLF (a MIME field a header-only repair leaves alone). */
function crlfField(msg: ParsedMessage, h: HeaderField): string {
  return `${msg.bytes.toString('latin1', h.start, h.end).replace(/\r?\n/g, '\r\n')}\r\n`;
}

function text(msg: ParsedMessage, h: HeaderField, s: HeaderSettings): string {
  return readHeaderBinary(unfold(msg, h), rawHeaderCharset(msg, s.legacyCharset)).trim();
}

/** Free text of a field, RFC 2047-decoded; refuses line breaks and controls smuggled in words. */
function unstructuredText(msg: ParsedMessage, h: HeaderField, s: HeaderSettings): string {
  const value = decodeHeaderWords(text(msg, h, s)).replace(/\t/g, ' ');
  if (findUnsafeCodePoint(value) !== -1) {
    refuse(
      `encoded-word-unsafe-content:${h.key}`,
      `${h.name} decodes to a line break or control character`,
    );
  }
  return value;
}

function renderDate(msg: ParsedMessage, h: HeaderField | undefined, s: HeaderSettings): string {
  if (h) {
    const value = text(msg, h, s);
    const checked = checkDate(value);
    if (checked.problems.length === 0) return verbatim(msg, h) ?? `Date: ${value}\r\n`;
    // Readable but wrong (weekday, obsolete zone): the same instant, written correctly.
    if (checked.date && !Number.isNaN(checked.date.getTime()))
      return `Date: ${formatDate(checked.date)}\r\n`;
  }
  return `Date: ${formatDate(s.now())}\r\n`;
}

function renderMessageId(
  msg: ParsedMessage,
  h: HeaderField | undefined,
  domain: string,
  invalid: boolean,
  fromAddress: string,
): string {
  if (h) {
    const value = unfold(msg, h).trim();
    try {
      const id = parseMessageId(value, 'Message-ID');
      // Brackets added (or folding removed) is a rewrite; the same text lint calls invalid is not kept.
      if (id !== value) return `Message-ID: ${id}\r\n`;
      if (!invalid) return verbatim(msg, h) ?? `Message-ID: ${id}\r\n`;
    } catch (e) {
      if (!(e instanceof MailHygieneError)) throw e;
    }
  }
  return `Message-ID: ${generateMessageId(domain, fromAddress)}\r\n`;
}

/** Rebuilds the top-level fields. Throws REPAIR_REFUSED / TOO_MANY_RECIPIENTS. */
export function repairHeaders(msg: ParsedMessage, s: HeaderSettings): RepairedHeaders {
  const fields = msg.root.headers;
  const lines: string[] = [];
  const recipients: Mailbox[] = [];
  const resentRecipients: Mailbox[] = [];
  let from: Mailbox | undefined;
  let returnPath: string | undefined;
  let recipientCount = 0;
  // Placeholders keep the original order; Date and Message-ID are filled in once From is known.
  let dateAt = -1;
  let idAt = -1;
  let dateField: HeaderField | undefined;
  let idField: HeaderField | undefined;

  const keep = s.keepMime;
  let mimeVersion = false;
  for (const h of fields) {
    if (keep && MIME_FIELDS.has(h.key)) {
      const raw = h.key === 'mime-version' && s.flagged.has(h.line) ? undefined : verbatim(msg, h);
      lines.push(raw ?? (h.key === 'mime-version' ? 'MIME-Version: 1.0\r\n' : crlfField(msg, h)));
      if (h.key === 'mime-version') mimeVersion = true;
      continue;
    }
    if (MIME_FIELDS.has(h.key) || isPhpFingerprint(msg, h)) continue;
    if (h.key === 'return-path') {
      const v = text(msg, h, s).replace(/^<|>$/g, '');
      try {
        returnPath = parseAddrSpec(v, 'Return-Path', { smtputf8: false }, '').address;
      } catch {
        // An unreadable hint is no hint.
      }
      continue;
    }
    const canonical = ADDRESS_FIELDS[h.key];
    if (canonical) {
      const resent = RESENT_RECIPIENT_FIELDS.has(h.key);
      const isRecipient = resent || RECIPIENT_FIELDS.has(h.key);
      // Floods are refused before any strict parsing: 50,000 addresses are an attack, not a list.
      const max = isRecipient ? s.maxRecipients - recipientCount : s.maxRecipients;
      const list = readAddressList(text(msg, h, s), h.key, max);
      if (isRecipient) recipientCount += list.mailboxes.length;
      const flagged = s.flagged.has(h.line);
      const raw = flagged ? undefined : verbatim(msg, h);
      // Only a field that is re-rendered needs strict mailboxes for its bytes; the envelope always does.
      const boxes = toMailboxes(list, h.key);
      if (isRecipient) (resent ? resentRecipients : recipients).push(...boxes);
      if (h.key === 'from') {
        if (boxes.length !== 1)
          refuse(
            'multiple-from',
            `From has ${boxes.length} mailboxes; which one sends cannot be told`,
          );
        from = boxes[0]!;
      }
      if (h.key === 'bcc' || h.key === 'resent-bcc') continue;
      if (raw !== undefined) lines.push(raw);
      else if (boxes.length > 0 || list.groups.length > 0)
        lines.push(renderAddressField(canonical, list, boxes));
      continue;
    }
    if (h.key === 'date') {
      dateField = h;
      dateAt = lines.push('') - 1;
      continue;
    }
    if (h.key === 'message-id') {
      idField = h;
      idAt = lines.push('') - 1;
      continue;
    }
    const raw =
      s.flagged.has(h.line) && (h.key === 'subject' || UNSTRUCTURED.has(h.key))
        ? undefined
        : verbatim(msg, h);
    if (raw !== undefined) {
      lines.push(raw);
    } else if (UNSTRUCTURED.has(h.key) || h.key.startsWith('x-')) {
      const name = h.key === 'subject' ? 'Subject' : h.name;
      lines.push(renderUnstructured(name, unstructuredText(msg, h, s)));
    } else {
      refuse(
        `header-unrepairable:${h.key}`,
        `${h.name} is a structured field with 8-bit or over-long content`,
      );
    }
  }

  if (!from) {
    if (s.defaultFrom === undefined)
      refuse('missing-from', 'the message has no From and no defaultFrom was given');
    try {
      from = toMailboxes(readAddressList(s.defaultFrom, 'from', 1), 'defaultFrom')[0];
    } catch (e) {
      if (e instanceof MailHygieneError && e.code === 'TOO_MANY_RECIPIENTS')
        refuse('invalid-default-from', 'defaultFrom must be one mailbox');
      throw e;
    }
    if (!from) refuse('invalid-default-from', 'defaultFrom holds no mailbox');
    lines.unshift(renderAddressList('From', [from]));
    if (dateAt !== -1) dateAt++;
    if (idAt !== -1) idAt++;
  }
  const date = renderDate(msg, dateField, s);
  if (dateAt === -1) {
    lines.unshift(date);
    if (idAt !== -1) idAt++;
  } else lines[dateAt] = date;
  const id = renderMessageId(
    msg,
    idField,
    s.messageIdDomain ?? from.domain,
    s.messageIdInvalid,
    from.address,
  );
  if (idAt === -1) lines.push(id);
  else lines[idAt] = id;
  if (!keep || (keep.addMimeVersion && !mimeVersion)) lines.push('MIME-Version: 1.0\r\n');
  return { lines, from, recipients, resentRecipients, returnPath };
}
