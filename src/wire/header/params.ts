/**
 * MIME parameters (RFC 2045 §5.1, RFC 2231). Values that are not plain ASCII
 * tokens or simple quoted-strings go out as RFC 2231 `name*` (with continuations
 * when long, every segment starred) — never as encoded-words inside quotes
 * (RFC 2047 §5 forbids that).
 */
/** Bare values: attribute-chars only (a bare ' * or % would be read as RFC 2231 syntax). */
const TOKEN = /^[!#$&+.^_`|~0-9A-Za-z-]+$/;
/** attribute-char of RFC 2231 §7: token chars minus * ' % */
const ATTR_CHAR = new Uint8Array(128);
for (const c of '!#$&+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz') {
  ATTR_CHAR[c.charCodeAt(0)] = 1;
}
const HEX = '0123456789ABCDEF';
/** Keeps each `name*N*=` segment well inside a 78-character line. */
const SEGMENT = 60;

/** A plain value: printable ASCII a simple quoted-string carries unchanged everywhere. */
function isPlainQuotable(value: string): boolean {
  return (
    /^[A-Za-z0-9 ._()+,=@-]*$/.test(value) &&
    value.trim() === value &&
    value.length <= 60 &&
    !value.includes('  ')
  );
}

/** Renders one parameter as one or more `key=value` items (without the leading `; `). */
export function renderParam(key: string, value: string): string[] {
  if (TOKEN.test(value) && value.length <= 60) return [`${key}=${value}`];
  if (isPlainQuotable(value)) return [`${key}="${value}"`];
  // Percent-encode per character, then cut between characters.
  const pieces: string[] = [];
  for (const ch of value) {
    const bytes = Buffer.from(ch, 'utf8');
    let enc = '';
    for (const byte of bytes) {
      enc +=
        byte < 128 && ATTR_CHAR[byte]
          ? String.fromCharCode(byte)
          : `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
    }
    pieces.push(enc);
  }
  const segments: string[] = [];
  let cur = "utf-8''";
  for (const p of pieces) {
    if (cur.length + p.length > SEGMENT && cur !== "utf-8''" && cur !== '') {
      segments.push(cur);
      cur = '';
    }
    cur += p;
  }
  segments.push(cur);
  if (segments.length === 1) return [`${key}*=${segments[0]}`];
  return segments.map((s, i) => `${key}*${i}*=${s}`);
}

/**
 * A safe ASCII stand-in for clients that ignore RFC 2231: accents dropped,
 * anything else outside `[A-Za-z0-9 ._()+,=@-]` replaced by `_`.
 */
export function asciiFallback(value: string): string {
  const s = value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9 ._()+,=@-]/g, '_')
    .replace(/ {2,}/g, ' ')
    .trim()
    .slice(-60);
  return s === '' ? 'attachment' : s;
}
