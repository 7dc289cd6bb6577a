/**
 * The tag=value list of DKIM key records (RFC 6376 §3.2), which DMARC records
 * share (RFC 7489 §6.4).
 */

/** Tags of a DKIM key record; names lower-cased, values with whitespace removed. */
export function parseTagList(text: string): Map<string, string> | undefined {
  const tags = new Map<string, string>();
  for (const part of text.split(';')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    const name = part.slice(0, eq).trim().toLowerCase();
    if (!/^[a-z][a-z0-9_]*$/.test(name) || tags.has(name)) return undefined;
    tags.set(name, part.slice(eq + 1).replace(/\s+/g, ''));
  }
  return tags;
}
