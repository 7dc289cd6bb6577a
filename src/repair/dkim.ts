/**
 * A DKIM-signed message (or one with an ARC set) keeps its signature through
 * a header-only repair when no field the signature covers changes: the
 * verifier hashes exactly the fields its `h=` tag lists (RFC 6376 §5.4), so a
 * field added, removed or rewritten under another name does not matter, and
 * LF → CRLF is the form the signer hashed. A Date added to a message whose
 * signature lists `date` (signers list it even when absent, to "over-sign")
 * would fail verification, so that is refused rather than done.
 */
import type { ParsedMessage } from '../read/index.js';
import { refuse } from './refuse.js';

const SIGNATURES = new Set(['dkim-signature', 'arc-message-signature']);

/** Lower-case field names listed in the `h=` tags of the message's signatures. */
function signedNames(msg: ParsedMessage): Set<string> {
  const names = new Set<string>();
  for (const h of msg.root.headers) {
    if (!SIGNATURES.has(h.key)) continue;
    const value = msg.bytes.toString('latin1', h.valueStart, h.end);
    for (const tag of value.split(';')) {
      const eq = tag.indexOf('=');
      if (eq === -1 || tag.slice(0, eq).trim().toLowerCase() !== 'h') continue;
      for (const n of tag.slice(eq + 1).split(':')) names.add(n.trim().toLowerCase());
    }
  }
  return names;
}

function fieldName(line: string): string {
  return line.slice(0, line.indexOf(':')).trim().toLowerCase();
}

/** Each field name → its fields in order, CRLF line ends. */
function byName(lines: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const l of lines) {
    const key = fieldName(l);
    const list = out.get(key) ?? [];
    list.push(l);
    out.set(key, list);
  }
  return out;
}

/**
 * Throws REPAIR_REFUSED (`dkim-signed`) when the new header block `lines`
 * adds, removes or rewrites a field a signature of the message covers.
 */
export function refuseSignedHeaderChanges(msg: ParsedMessage, lines: readonly string[]): void {
  if (!msg.root.headers.some((h) => SIGNATURES.has(h.key))) return;
  const signed = signedNames(msg);
  const before = byName(
    msg.root.headers.map(
      (h) => `${msg.bytes.toString('latin1', h.start, h.end).replace(/\r?\n/g, '\r\n')}\r\n`,
    ),
  );
  const after = byName(lines);
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(key) ?? [];
    const b = after.get(key) ?? [];
    const same = a.length === b.length && a.every((x, i) => x === b[i]);
    if (!same && (signed.has(key) || SIGNATURES.has(key))) {
      refuse(
        'dkim-signed',
        `the repair would ${a.length === 0 ? 'add' : b.length === 0 ? 'remove' : 'rewrite'} ${key}, which the message's DKIM signature covers (h=); the signer must fix it`,
      );
    }
  }
}
