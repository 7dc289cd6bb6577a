/** Reads one header of a repaired (CRLF, folded) message without a full parse: only for logs. */

/**
 * The unfolded value of the first `name` header in the header block of
 * `raw`, or undefined. Field names match case-insensitively.
 *
 * @example
 * ```ts
 * headerValue(Buffer.from('Message-ID: <a@b.example>\r\n\r\nhi'), 'message-id') // '<a@b.example>'
 * ```
 */
export function headerValue(raw: Buffer, name: string): string | undefined {
  let end = raw.indexOf('\r\n\r\n');
  if (end === -1) end = raw.indexOf('\n\n');
  const head = raw.subarray(0, end === -1 ? raw.length : end).toString('latin1');
  const lines = head.split(/\r?\n/);
  const prefix = `${name.toLowerCase()}:`;
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.toLowerCase().startsWith(prefix)) continue;
    let value = lines[i]!.slice(prefix.length);
    while (i + 1 < lines.length && /^[ \t]/.test(lines[i + 1]!)) value += lines[++i];
    return value.trim();
  }
  return undefined;
}
