/**
 * compose() input → checked header fields + MIME tree. Every value passes its
 * parser here; nothing unchecked reaches the renderer.
 */
import type { Readable } from 'node:stream';
import type { AddressList, Mailbox, MimeNode } from '../wire/index.js';
import {
  assertSingleLine,
  binaryPart,
  checkCustomHeaderName,
  checkMessageDate,
  encodedTextPart,
  encodeTextInput,
  formatDate,
  generateMessageId,
  HeaderBuilder,
  MAX_HEADER_VALUE,
  MAX_UNSUBSCRIBE_URL,
  MailHygieneError,
  multipart,
  parseMailbox,
  parseMessageId,
  renderAddressList,
  renderUnstructured,
  toCrlf,
} from '../wire/index.js';
import {
  type AttachmentContentType,
  checkContentType,
  contentTypeFor,
  parseAttachmentFilename,
  parseCid,
} from './attachment.js';
import type { Policy } from './policy.js';
import type { AttachmentInput, ListUnsubscribeInput, MessageInput } from './types.js';

/** Markup that is unmistakably HTML: a closing tag, a tag with attributes, or <br>. */
const HTML_TAG =
  /<\/(?:a|b|i|u|p|span|div|strong|em|font|html|body|table|tr|td|th|h[1-6]|script|style|center|ul|ol|li)\s*>|<(?:a|p|span|div|font|img|table|td|body|script|style)\s+[a-z-]+\s*=|<br\s*\/?>/i;

export interface BuiltMessage {
  from: Mailbox;
  /** To ∪ Cc ∪ Bcc, in order, before deduplication. */
  recipients: Mailbox[];
  headers: string[];
  root: MimeNode;
  messageId: string;
}

function toArray(list: AddressList | undefined): Array<Exclude<AddressList, unknown[]>> {
  if (list === undefined) return [];
  return Array.isArray(list) ? list : [list];
}

function mailboxes(list: AddressList | undefined, field: string, policy: Policy): Mailbox[] {
  const items = toArray(list);
  // Refuse floods before parsing them: 50,000 To lines are an attack, not a list.
  if (items.length > policy.maxRecipients) {
    throw new MailHygieneError(
      'TOO_MANY_RECIPIENTS',
      `${field} has ${items.length} addresses; the limit is ${policy.maxRecipients}`,
      { field },
    );
  }
  return items.map((a, i) =>
    parseMailbox(a, Array.isArray(list) ? `${field}[${i}]` : field, { smtputf8: policy.smtputf8 }),
  );
}

function subjectHeader(subject: string): string {
  assertSingleLine(subject, 'subject');
  if (subject.length > MAX_HEADER_VALUE) {
    throw new MailHygieneError(
      'HEADER_TOO_LONG',
      `subject is longer than ${MAX_HEADER_VALUE} characters`,
      { field: 'subject' },
    );
  }
  if (HTML_TAG.test(subject)) {
    throw new MailHygieneError(
      'HTML_IN_SUBJECT',
      'subject contains an HTML tag; mail clients show it literally',
      { field: 'subject' },
    );
  }
  return renderUnstructured('Subject', subject);
}

function customHeaders(headers: MessageInput['headers']): string[] {
  if (!headers) return [];
  const entries = Array.isArray(headers) ? headers : Object.entries(headers);
  return entries.map(([name, value], i) => {
    const field = Array.isArray(headers) ? `headers[${i}]` : `headers.${name}`;
    checkCustomHeaderName(name, field);
    assertSingleLine(value, field);
    if (value.length > MAX_HEADER_VALUE) {
      throw new MailHygieneError(
        'HEADER_TOO_LONG',
        `${field} is longer than ${MAX_HEADER_VALUE} characters`,
        { field },
      );
    }
    return renderUnstructured(name, value);
  });
}

function listUnsubscribeHeaders(l: ListUnsubscribeInput | undefined, policy: Policy): string[] {
  if (!l) return [];
  const field = 'listUnsubscribe';
  const uris: string[] = [];
  if (l.url !== undefined) {
    assertSingleLine(l.url, `${field}.url`, 'INVALID_LIST_UNSUBSCRIBE');
    let u: URL;
    try {
      u = new URL(l.url);
    } catch {
      throw new MailHygieneError('INVALID_LIST_UNSUBSCRIBE', `${field}.url is not a URL`, {
        field: `${field}.url`,
      });
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') {
      throw new MailHygieneError('INVALID_LIST_UNSUBSCRIBE', `${field}.url must be http(s)`, {
        field: `${field}.url`,
      });
    }
    const href = u.href;
    // A comma separates the alternatives of RFC 2369 §2; list parsers split on it.
    // "=?" would be taken for an RFC 2047 encoded-word by lenient decoders.
    // A URL cannot be folded: it must fit one line (MAX_UNSUBSCRIBE_URL).
    if (/[\s<>",]|=\?/.test(href) || href.length > MAX_UNSUBSCRIBE_URL) {
      throw new MailHygieneError(
        'INVALID_LIST_UNSUBSCRIBE',
        `${field}.url cannot be carried in a List-Unsubscribe field (spaces, <, >, ", "," or "=?"; percent-encode them)`,
        { field: `${field}.url` },
      );
    }
    uris.push(href);
  }
  if (l.mailto !== undefined) {
    const addr = l.mailto.replace(/^mailto:/i, '');
    const m = parseMailbox(addr, `${field}.mailto`, { smtputf8: policy.smtputf8 });
    // RFC 6068 §2: "?", "%", "#", "&" … of the local part are percent-encoded in the URI.
    const at = m.address.lastIndexOf('@');
    uris.push(`mailto:${encodeURIComponent(m.address.slice(0, at))}@${m.address.slice(at + 1)}`);
  }
  if (uris.length === 0) {
    throw new MailHygieneError('INVALID_LIST_UNSUBSCRIBE', `${field} needs url or mailto`, {
      field,
    });
  }
  if (l.oneClick && !uris[0]!.startsWith('https:')) {
    throw new MailHygieneError(
      'INVALID_LIST_UNSUBSCRIBE',
      'one-click unsubscribe (RFC 8058) needs an https url',
      { field: `${field}.url` },
    );
  }
  const b = new HeaderBuilder('List-Unsubscribe');
  uris.forEach((uri, i) => {
    b.add(' ', `<${uri}>${i < uris.length - 1 ? ',' : ''}`);
  });
  const out = [b.toString()];
  if (l.oneClick) out.push('List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n');
  return out;
}

function msgIdList(name: string, ids: string[], field: string): string {
  const b = new HeaderBuilder(name);
  ids.forEach((id, i) => {
    b.add(' ', parseMessageId(id, `${field}[${i}]`));
  });
  return b.toString();
}

function attachmentPart(a: AttachmentInput, i: number): { node: MimeNode; inlineCid: boolean } {
  const field = `attachments[${i}]`;
  const filename =
    a.filename === undefined ? undefined : parseAttachmentFilename(a.filename, `${field}.filename`);
  const cid = a.cid === undefined ? undefined : parseCid(a.cid, `${field}.cid`);
  const ct: AttachmentContentType =
    a.contentType === undefined
      ? { type: contentTypeFor(filename), charset: undefined }
      : checkContentType(a.contentType, `${field}.contentType`);
  const content: Uint8Array | Readable =
    typeof a.content === 'string' ? Buffer.from(a.content, 'utf8') : a.content;
  const params = ct.charset === undefined ? [] : [`charset=${ct.charset}`];
  if (ct.type.startsWith('text/') && ct.charset === undefined) {
    if (typeof a.content === 'string') params.push('charset=utf-8');
    else if (content instanceof Uint8Array && isUtf8(content)) params.push('charset=utf-8');
    else {
      throw new MailHygieneError(
        'INVALID_ATTACHMENT',
        `${field}: a ${ct.type} attachment needs a charset; give contentType with "; charset=…"`,
        { field: `${field}.contentType` },
      );
    }
  }
  const disposition = a.disposition ?? (cid !== undefined ? 'inline' : 'attachment');
  const node = binaryPart(content, {
    contentType: ct.type,
    typeParams: params,
    disposition,
    ...(filename !== undefined && { filename }),
    ...(cid !== undefined && { cid }),
  });
  return { node, inlineCid: cid !== undefined && disposition === 'inline' };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
function isUtf8(b: Uint8Array): boolean {
  try {
    utf8.decode(b);
    return true;
  } catch {
    return false;
  }
}

const isBlank = (s: string): boolean => s.trim() === '';

/**
 * The text/plain alternative of an HTML body given without (or with blank)
 * text. HTML-only mail is scored as spam (MIME_HTML_ONLY) and the self-check
 * refuses it, so without the converter (`textFromHtml: false`) the message is
 * refused here, up front, with what to give instead.
 */
function textForHtml(html: string, policy: Policy, htmlToText?: HtmlToText): string {
  if (!policy.textFromHtml) {
    throw new MailHygieneError(
      'INVALID_BODY',
      'html needs a text/plain alternative (HTML-only mail is scored as spam): give `text`, or leave the textFromHtml option on',
      { field: 'text' },
    );
  }
  // compose() loads the converter (and htmlparser2) only for messages that need it.
  if (!htmlToText) throw new Error('buildMessage: htmlToText is needed for a text part from HTML');
  // HTML without visible text (only images) gets an empty text part, as repair() does.
  return htmlToText(toCrlf(html));
}

/** Builds the body tree: mixed(alternative(text, related(html, inline…)), attachments…). */
function bodyTree(input: MessageInput, policy: Policy, htmlToText?: HtmlToText): MimeNode {
  // Each text is checked and encoded in one pass; the error order is html, text.
  const html = input.html === undefined ? undefined : encodeTextInput(input.html, 'html');
  let text = input.text === undefined ? undefined : encodeTextInput(input.text, 'text');
  if (html !== undefined && (text === undefined || isBlank(text.text))) {
    text = encodeTextInput(textForHtml(html.text, policy, htmlToText), 'text');
  }
  const attachments = (input.attachments ?? []).map(attachmentPart);
  const inline =
    html !== undefined ? attachments.filter((a) => a.inlineCid).map((a) => a.node) : [];
  const others = attachments.filter((a) => !(html !== undefined && a.inlineCid)).map((a) => a.node);
  const alternatives: MimeNode[] = [];
  if (text !== undefined) alternatives.push(encodedTextPart('plain', text.body));
  if (html !== undefined)
    alternatives.push(multipart('related', [encodedTextPart('html', html.body), ...inline]));
  if (alternatives.length === 0 && others.length === 0) {
    throw new MailHygieneError('NO_BODY', 'the message has no text, html or attachment', {
      field: 'text',
    });
  }
  const body = alternatives.length ? [multipart('alternative', alternatives)] : [];
  return multipart('mixed', [...body, ...others]);
}

/** Checks every input field and builds header fields and the MIME tree. */
/** The HTML → text converter, passed in so that it is loaded only when needed. */
export type HtmlToText = (html: string) => string;

/** True when building `input` needs {@link HtmlToText}. */
export function needsTextFromHtml(input: MessageInput, policy: Policy): boolean {
  const t: unknown = input.text;
  // Blank text gets a generated part too; text given as bytes is only known after decoding.
  return (
    input.html !== undefined &&
    policy.textFromHtml &&
    (t === undefined || typeof t !== 'string' || isBlank(t))
  );
}

export function buildMessage(
  input: MessageInput,
  policy: Policy,
  htmlToText?: HtmlToText,
): BuiltMessage {
  const from = parseMailbox(input.from, 'from', { smtputf8: policy.smtputf8 });
  const sender =
    input.sender === undefined
      ? undefined
      : parseMailbox(input.sender, 'sender', { smtputf8: policy.smtputf8 });
  const to = mailboxes(input.to, 'to', policy);
  const cc = mailboxes(input.cc, 'cc', policy);
  const bcc = mailboxes(input.bcc, 'bcc', policy);
  const replyTo = mailboxes(input.replyTo, 'replyTo', policy);
  const subject = subjectHeader(input.subject);
  const date = checkMessageDate(input.date ?? policy.now(), 'date');
  const messageId =
    input.messageId !== undefined
      ? parseMessageId(input.messageId, 'messageId')
      : generateMessageId(policy.messageIdDomain ?? from.domain, from.address);

  const headers: string[] = [`Date: ${formatDate(date)}\r\n`, renderAddressList('From', [from])];
  if (sender) headers.push(renderAddressList('Sender', [sender]));
  if (to.length) headers.push(renderAddressList('To', to));
  if (cc.length) headers.push(renderAddressList('Cc', cc));
  if (replyTo.length) headers.push(renderAddressList('Reply-To', replyTo));
  headers.push(subject, `Message-ID: ${messageId}\r\n`);
  if (input.inReplyTo !== undefined)
    headers.push(`In-Reply-To: ${parseMessageId(input.inReplyTo, 'inReplyTo')}\r\n`);
  if (input.references?.length)
    headers.push(msgIdList('References', input.references, 'references'));
  headers.push(...listUnsubscribeHeaders(input.listUnsubscribe, policy));
  if (input.autoSubmitted) headers.push(`Auto-Submitted: ${input.autoSubmitted}\r\n`);
  headers.push(...customHeaders(input.headers));
  headers.push('MIME-Version: 1.0\r\n');

  return {
    from,
    recipients: [...to, ...cc, ...bcc],
    headers,
    root: bodyTree(input, policy, htmlToText),
    messageId,
  };
}
