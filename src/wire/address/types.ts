/** Address values as callers give them, and the SMTP envelope they end up in. */

/** `'Name <a@b.example>'`, `'a@b.example'` or `{ name, address }`. */
export type AddressInput = string | { name?: string; address: string };
/** One address, or several. A string is one mailbox: lists are arrays. */
export type AddressList = AddressInput | AddressInput[];

/** SMTP envelope: reverse-path (bounce address) and forward-paths. */
export interface Envelope {
  from: string;
  to: string[];
}
