import type { Readable } from 'node:stream';
import type { AddressInput, AddressList, Envelope } from '../wire/index.js';

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
  /** The text/plain body: a string, or its UTF-8 bytes (invalid UTF-8 is refused). */
  text?: string | Uint8Array;
  /** The text/html body: a string, or its UTF-8 bytes (invalid UTF-8 is refused). */
  html?: string | Uint8Array;
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
