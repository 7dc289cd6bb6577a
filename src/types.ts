import type { Readable } from 'node:stream';

/** `'Name <a@b.example>'`, `'a@b.example'` or `{ name, address }`. */
export type AddressInput = string | { name?: string; address: string };
/** One address, or several. A string is one mailbox: lists are arrays. */
export type AddressList = AddressInput | AddressInput[];

export interface AttachmentInput {
  filename?: string;
  content: string | Uint8Array | Readable;
  contentType?: string;
  cid?: string;
  disposition?: 'attachment' | 'inline';
}

export interface ListUnsubscribeInput {
  url?: string;
  mailto?: string;
  oneClick?: boolean;
}

/** What `compose()` takes. Every field is checked; nothing is silently changed. */
export interface MessageInput {
  from: AddressInput;
  sender?: AddressInput;
  to?: AddressList;
  cc?: AddressList;
  bcc?: AddressList;
  replyTo?: AddressList;
  subject: string;
  text?: string;
  html?: string;
  attachments?: AttachmentInput[];
  headers?: Record<string, string> | Array<[string, string]>;
  date?: Date;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  listUnsubscribe?: ListUnsubscribeInput;
  autoSubmitted?: 'auto-generated' | 'auto-replied';
  envelope?: { from?: string; to?: string[] };
}

/** SMTP envelope: reverse-path (bounce address) and forward-paths. */
export interface Envelope {
  from: string;
  to: string[];
}

export interface ComposedMessage {
  raw: Buffer;
  envelope: Envelope;
  /** With angle brackets: `<id@domain>`. */
  messageId: string;
}

export interface ComposedStream {
  stream: Readable;
  envelope: Envelope;
  messageId: string;
}

export type Severity = 'error' | 'warning' | 'info';

/** One lint finding. `rule` is a stable id from HYGIENE-RULES.md. */
export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  /** Where: `header From (line 3)`, `part 1.2`, … */
  location?: string;
}

export interface LintReport {
  findings: Finding[];
  errors: number;
  warnings: number;
}
