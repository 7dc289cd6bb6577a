/**
 * Linear scanners for the comment and quoted-string syntax of header fields
 * (RFC 5322 §3.2.2 CFWS, §3.2.4 quoted-string). They replace regexes like
 * `\([^)]*\)` and `"(?:[^"\\]|\\.)*"`, which restart at every `(` or `"` of
 * an unclosed run and so take quadratic time on `(((…` or `"\"\…` (issue 14).
 * Every function here reads each character once.
 */

/**
 * Index just past the comment that opens at `s[i] === '('`, or -1 when it
 * never closes. Comments nest and `\` quotes the next character
 * (RFC 5322 §3.2.2).
 */
export function commentEnd(s: string, i: number): number {
  let depth = 0;
  for (; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * Index just past the quoted string that opens at `s[i] === '"'`, or -1 when
 * it never closes (RFC 5322 §3.2.4).
 */
export function quotedEnd(s: string, i: number): number {
  for (i++; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '"') return i + 1;
  }
  return -1;
}

/**
 * Index of the first character of `s` outside comments and quoted strings
 * for which `match` is true, or -1. `match` sees every such character in
 * order (not the `"`, `(` and `)` that delimit them), so it can keep state
 * of its own, e.g. whether it is inside `<…>`. A comment or quoted string
 * that never closes runs to the end; `\` quotes the next character inside
 * both (RFC 5322 §3.2.2, §3.2.4). One pass.
 */
export function findTopLevel(s: string, match: (c: string, i: number) => boolean): number {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && (quoted || depth > 0)) i++;
    else if (quoted) quoted = c !== '"';
    else if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if (depth > 0) continue;
    else if (c === '"') quoted = true;
    else if (match(c, i)) return i;
  }
  return -1;
}

/** Skips folding white space and comments from `i`; returns the next index. */
export function skipCfws(s: string, i: number): number {
  for (;;) {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\r' || s[i] === '\n')) i++;
    if (s[i] !== '(') return i;
    const end = commentEnd(s, i);
    if (end === -1) return s.length;
    i = end;
  }
}

/** True when `s` from `i` on is only folding white space and closed comments. */
export function isCfws(s: string, i: number): boolean {
  for (;;) {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\r' || s[i] === '\n')) i++;
    if (i >= s.length) return true;
    if (s[i] !== '(') return false;
    i = commentEnd(s, i);
    if (i === -1) return false;
  }
}

/**
 * `s` without its comments (nested ones included; an unclosed comment runs to
 * the end). Quoted strings are kept as written, `(` inside them included.
 * Each comment becomes `replacement`.
 *
 * @example stripComments('1.0 (produced by (nested) X)') // '1.0 '
 */
export function stripComments(s: string, replacement = ''): string {
  // Without "(" there is no comment and every character is kept.
  if (!s.includes('(')) return s;
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; ) {
    const c = s[i];
    if (c === '"') {
      i = quotedEnd(s, i);
      if (i === -1) break; // unclosed: the rest is quoted text
    } else if (c === '(') {
      out += s.slice(from, i) + replacement;
      i = from = commentEnd(s, i);
      if (i === -1) return out;
    } else i++;
  }
  return out + s.slice(from);
}

/**
 * `s` with the content of every closed quoted string replaced by `""`
 * (an unclosed `"` and what follows are kept), e.g. so that an `@` or a space
 * inside a display name is not taken for syntax.
 */
export function blankQuotedStrings(s: string): string {
  if (!s.includes('"')) return s;
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; ) {
    if (s[i] !== '"') {
      i++;
      continue;
    }
    const end = quotedEnd(s, i);
    if (end === -1) break; // unclosed: keep the rest as written
    out += `${s.slice(from, i)}""`;
    i = from = end;
  }
  return out + s.slice(from);
}
