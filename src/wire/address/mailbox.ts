/** A checked mailbox: the only address type the renderer and envelope accept. */
export interface Mailbox {
  /** Display name exactly as given (may be empty). */
  readonly name: string;
  /** Local part as it goes on the wire (quoted form when it needs quoting). */
  readonly localPart: string;
  /** Domain in ASCII (A-labels for IDN). */
  readonly domain: string;
  /** `localPart@domain`, ASCII unless the local part is UTF-8 (SMTPUTF8). */
  readonly address: string;
  /** True when the local part is non-ASCII and needs SMTPUTF8. */
  readonly utf8: boolean;
}
