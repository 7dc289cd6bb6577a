/**
 * DKIM signing (RFC 6376, RFC 8463 for Ed25519), relaxed/relaxed, with
 * node:crypto only. `dkimSign` signs a complete message; the stream path
 * hashes the body with `createBodyHasher` while it is written and then calls
 * `buildDkimSignatureHeader` with the header block.
 */
import { createHash, sign as cryptoSign } from 'node:crypto';
import { domainToASCII } from 'node:url';
import { headerText, parseAddressList } from '../../read/index.js';
import { FOLD_AT, isHostname, MailHygieneError } from '../../wire/index.js';
import type { DkimOptions } from '../policy.js';
import { alignedRelaxed, normalizeDomain } from './align.js';
import { bodyHash as computeBodyHash } from './body-hash.js';
import { canonicalizeHeaderRelaxed, type HeaderField, parseHeaderBlock } from './canonicalize.js';
import { loadSigningKey } from './key.js';

/** Signed when present, in this order. */
const DEFAULT_SIGNED_HEADERS: readonly string[] = Object.freeze([
  'from',
  'to',
  'cc',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'reply-to',
  'list-unsubscribe',
  'list-unsubscribe-post',
]);

/**
 * Listed once more than they occur, so a copy of the message with an added
 * second From/Subject/… no longer verifies (RFC 6376 §8.15).
 */
const OVERSIGNED_HEADERS: ReadonlySet<string> = new Set([
  'from',
  'to',
  'subject',
  'date',
  'reply-to',
  'list-unsubscribe',
  'list-unsubscribe-post',
]);

/** Extra knobs of the signer, mainly for reproducible tests. */
export interface SignContext {
  /** Domain of the From address; read from the From header when absent. */
  fromDomain?: string;
  /** Clock for `t=`. */
  now?: () => Date;
}

const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

function checkDomainOption(value: string, field: string): string {
  const ascii =
    typeof value === 'string' ? normalizeDomain(domainToASCII(value.trim()) || value) : '';
  // d= and s= name DNS labels, not hosts: `_` is allowed (RFC 6376 §3.1, RFC 2181 §11).
  if (!isHostname(ascii, { underscore: true })) {
    throw new MailHygieneError(
      'INVALID_OPTIONS',
      `${field} "${String(value)}" is not a valid domain name`,
      { field },
    );
  }
  return ascii;
}

/**
 * Domains of all addresses in the From field(s), read by the read floor's
 * address-list parser (quoted strings, comments and groups handled as lint
 * reads them), in A-labels for the alignment check. Only for `dkimSign`
 * without a From domain: compose() passes the one it built.
 */
export function fromDomains(fields: readonly HeaderField[]): string[] {
  const out: string[] = [];
  for (const f of fields) {
    if (f.key !== 'from') continue;
    // Latin-1 octets as read; an SMTPUTF8 (UTF-8) domain is decoded before its A-label is taken.
    const value = headerText(f.raw.slice(f.raw.indexOf(':') + 1).replace(/\r\n/g, ''));
    for (const m of parseAddressList(value).mailboxes) {
      if (m.domain) out.push(normalizeDomain(domainToASCII(m.domain) || m.domain));
    }
  }
  return out;
}

/** The h= list: names as often as they occur, plus one for over-signed ones. */
function selectSignedHeaders(
  fields: readonly HeaderField[],
  extra: readonly string[] = [],
): string[] {
  const counts = new Map<string, number>();
  for (const f of fields) counts.set(f.key, (counts.get(f.key) ?? 0) + 1);
  const names: string[] = [];
  const seen = new Set<string>();
  for (const n of DEFAULT_SIGNED_HEADERS) {
    seen.add(n);
    const count = counts.get(n) ?? 0;
    if (count === 0) continue;
    for (let i = 0; i < count; i++) names.push(n);
    if (OVERSIGNED_HEADERS.has(n)) names.push(n);
  }
  for (const raw of extra) {
    if (typeof raw !== 'string' || !FIELD_NAME.test(raw)) {
      throw new MailHygieneError(
        'INVALID_HEADER_NAME',
        `cannot sign header "${String(raw)}": not a field name`,
        {
          field: 'dkim.headers',
        },
      );
    }
    const n = raw.toLowerCase();
    if (seen.has(n) || n === 'dkim-signature') continue;
    seen.add(n);
    // An absent extra header is listed once: adding it later breaks the signature.
    const count = Math.max(1, counts.get(n) ?? 0);
    for (let i = 0; i < count; i++) names.push(n);
  }
  return names;
}

/** Canonical form of the selected header instances, bottom-up per name (RFC 6376 §5.4.2). */
function canonicalSignedHeaders(fields: readonly HeaderField[], names: readonly string[]): string {
  const byName = new Map<string, HeaderField[]>();
  for (const f of fields) {
    const list = byName.get(f.key);
    if (list) list.push(f);
    else byName.set(f.key, [f]);
  }
  let out = '';
  for (const n of names) {
    const field = byName.get(n)?.pop();
    if (field) out += canonicalizeHeaderRelaxed(field.raw);
  }
  return out;
}

/** Folds `tag=value;` atoms into lines of at most FOLD_AT (78) octets. */
class TagFolder {
  private readonly lines: string[] = ['DKIM-Signature:'];

  private get current(): string {
    return this.lines[this.lines.length - 1] ?? '';
  }

  private set current(v: string) {
    this.lines[this.lines.length - 1] = v;
  }

  /** An unbreakable atom, preceded by a space. */
  atom(text: string): void {
    if (this.current.length + 1 + text.length <= FOLD_AT) this.current += ` ${text}`;
    else this.lines.push(` ${text}`);
  }

  /** A tag whose value may be split after any of `parts` (joined without space). */
  list(tag: string, parts: readonly string[], sep: string, end: string): void {
    const pieces = parts.map(
      (p, i) => (i === 0 ? `${tag}=` : '') + p + (i < parts.length - 1 ? sep : end),
    );
    const [first, ...rest] = pieces;
    this.atom(first ?? `${tag}=${end}`);
    for (const p of rest) {
      if (this.current.length + p.length <= FOLD_AT) this.current += p;
      else this.lines.push(` ${p}`);
    }
  }

  /** A base64 value that may be split anywhere (FWS is allowed inside it). */
  base64(tag: string, value: string, end: string): void {
    if (this.current.length + 1 + tag.length + 2 > FOLD_AT) this.lines.push('');
    this.current += ` ${tag}=`;
    let rest = value + end;
    while (rest.length > 0) {
      const room = FOLD_AT - this.current.length;
      if (room <= 0) {
        this.lines.push(' ');
        continue;
      }
      this.current += rest.slice(0, room);
      rest = rest.slice(room);
    }
  }

  text(): string {
    return this.lines.join('\r\n');
  }
}

/**
 * Builds one `DKIM-Signature` field (with trailing CRLF) for a header block
 * and a body hash made by `createBodyHasher('relaxed')`. This is the building
 * block of the stream path: the body never has to be in memory.
 *
 * @param headerBlock the message header octets (CRLF lines, without the empty separator line)
 * @param bodyHash base64 SHA-256 of the relaxed-canonicalized body (`bh=`)
 * @throws MailHygieneError `DKIM_INVALID_KEY`, `DKIM_UNALIGNED`, `INVALID_OPTIONS`, `INVALID_INPUT`
 *
 * @example
 * ```ts
 * const h = createBodyHasher('relaxed');
 * for await (const c of body) h.update(c);
 * const sig = buildDkimSignatureHeader(headers, h.digest(), { domainName: 'example.com', keySelector: 's1', privateKey });
 * ```
 */
export function buildDkimSignatureHeader(
  headerBlock: Buffer | string,
  bodyHash: string,
  opts: DkimOptions,
  context: SignContext = {},
): string {
  if (!opts || typeof opts !== 'object') {
    throw new MailHygieneError('INVALID_OPTIONS', 'dkim options must be an object', {
      field: 'dkim',
    });
  }
  const domain = checkDomainOption(opts.domainName, 'dkim.domainName');
  const selector = checkDomainOption(opts.keySelector, 'dkim.keySelector');
  const { key, algorithm } = loadSigningKey(opts);
  const fields = parseHeaderBlock(headerBlock);

  if (!fields.some((f) => f.key === 'from')) {
    throw new MailHygieneError(
      'INVALID_INPUT',
      'cannot DKIM-sign a message without a From header',
      { field: 'from' },
    );
  }
  const fromList = context.fromDomain ? [normalizeDomain(context.fromDomain)] : fromDomains(fields);
  if (!opts.allowUnaligned) {
    const bad =
      fromList.length === 0 ? ['(none)'] : fromList.filter((d) => !alignedRelaxed(domain, d));
    if (bad.length > 0) {
      throw new MailHygieneError(
        'DKIM_UNALIGNED',
        `DKIM d=${domain} does not align with the From domain ${bad.join(', ')}; DMARC would not count this signature (set allowUnaligned to sign anyway)`,
        { field: 'dkim.domainName' },
      );
    }
  }

  const names = selectSignedHeaders(fields, opts.headers ?? []);
  const now = (context.now ?? (() => new Date()))();
  const folder = new TagFolder();
  folder.atom('v=1;');
  folder.atom(`a=${algorithm};`);
  folder.atom('c=relaxed/relaxed;');
  folder.atom(`d=${domain};`);
  folder.atom(`s=${selector};`);
  folder.atom(`t=${Math.floor(now.getTime() / 1000)};`);
  folder.list('h', names, ':', ';');
  folder.base64('bh', bodyHash, ';');
  folder.base64('b', '', '');
  const unsigned = folder.text();

  const data =
    canonicalSignedHeaders(fields, names) + canonicalizeHeaderRelaxed(unsigned).slice(0, -2);
  const signature =
    algorithm === 'ed25519-sha256'
      ? cryptoSign(null, createHash('sha256').update(data, 'latin1').digest(), key)
      : cryptoSign('sha256', Buffer.from(data, 'latin1'), key);

  // Re-fold with the real b= value. Everything up to "b=" is unchanged, and
  // the verifier removes the b= value with its FWS, so it sees `unsigned`.
  const lastLine = unsigned.slice(unsigned.lastIndexOf('\r\n') + 2);
  let tail = '';
  let rest = signature.toString('base64');
  let room = FOLD_AT - lastLine.length;
  while (rest.length > 0) {
    if (room <= 0) {
      tail += '\r\n ';
      room = FOLD_AT - 1;
      continue;
    }
    tail += rest.slice(0, room);
    rest = rest.slice(room);
    room = 0;
  }
  return `${unsigned}${tail}\r\n`;
}

/** Splits a wire-format message into header block and body at the first empty line. */
export function splitMessage(raw: Buffer): { header: Buffer; body: Buffer } {
  if (raw.subarray(0, 2).toString('latin1') === '\r\n')
    return { header: raw.subarray(0, 0), body: raw.subarray(2) };
  const sep = raw.indexOf('\r\n\r\n');
  if (sep < 0) return { header: raw, body: raw.subarray(raw.length) };
  return { header: raw.subarray(0, sep + 2), body: raw.subarray(sep + 4) };
}

/** 1-based line number of byte `offset` (LFs before it, plus one). */
function lineAt(raw: Buffer, offset: number): number {
  let line = 1;
  for (let i = raw.indexOf(0x0a); i !== -1 && i < offset; i = raw.indexOf(0x0a, i + 1)) line++;
  return line;
}

/**
 * Refuses a message dkimSign cannot sign as the receiver will see it: DKIM
 * canonicalizes CRLF lines (RFC 6376 §3.4), the header block ends at the first
 * empty line (RFC 5322 §2.1), and an MTA turns a bare LF or CR into CRLF. Signed
 * as it is, an LF-only message would have no header/body separator, so its
 * whole text would count as headers and an empty body would be signed.
 */
function checkWireFormat(raw: Buffer): void {
  const refuse = (offset: number, what: string): never => {
    throw new MailHygieneError(
      'INVALID_INPUT',
      `dkimSign needs a CRLF wire-format message: line ${lineAt(raw, offset)} ${what}; convert line ends to CRLF (compose() and repair() return them so)`,
      { field: 'raw' },
    );
  };
  for (let i = raw.indexOf(0x0a); i !== -1; i = raw.indexOf(0x0a, i + 1)) {
    if (raw[i - 1] !== 0x0d) refuse(i, 'ends in a bare LF');
  }
  for (let i = raw.indexOf(0x0d); i !== -1; i = raw.indexOf(0x0d, i + 1)) {
    if (raw[i + 1] !== 0x0a) refuse(i, 'holds a bare CR');
  }
  if (raw[0] !== 0x0d && raw.indexOf('\r\n\r\n') === -1) {
    throw new MailHygieneError(
      'INVALID_INPUT',
      'dkimSign needs a complete message: no empty line ends the header block, so there is no body to sign',
      { field: 'raw' },
    );
  }
}

/**
 * Signs a complete CRLF wire-format message and returns it with one
 * `DKIM-Signature` field per option set prepended (first option first).
 * All signatures share one relaxed body hash.
 *
 * @param fromDomain the From domain to align `d=` with; read from the message when absent
 * @throws MailHygieneError `DKIM_UNALIGNED` when `d=` does not align with the From domain
 *   (unless `allowUnaligned`), `DKIM_INVALID_KEY` for an unusable key, `INVALID_INPUT`
 *   (field `raw`) for a bare LF or CR, or no empty line between header block and body
 *
 * @example
 * ```ts
 * const signed = dkimSign(raw, [
 *   { domainName: 'example.com', keySelector: 'rsa1', privateKey: rsaPem },
 *   { domainName: 'example.com', keySelector: 'ed1', privateKey: edPem, algorithm: 'ed25519-sha256' },
 * ]);
 * ```
 */
export function dkimSign(
  raw: Buffer,
  opts: DkimOptions | readonly DkimOptions[],
  fromDomain?: string,
  context: Omit<SignContext, 'fromDomain'> = {},
): Buffer {
  const list = Array.isArray(opts) ? (opts as readonly DkimOptions[]) : [opts as DkimOptions];
  if (list.length === 0) return raw;
  checkWireFormat(raw);
  const { header, body } = splitMessage(raw);
  const bh = computeBodyHash(body, 'relaxed');
  const ctx: SignContext = fromDomain === undefined ? { ...context } : { ...context, fromDomain };
  const signatures = list.map((o) => buildDkimSignatureHeader(header, bh, o, ctx));
  return Buffer.concat([Buffer.from(signatures.join(''), 'latin1'), raw]);
}
