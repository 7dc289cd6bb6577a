/**
 * Finishing touches for the sendmail shim's program bundle
 * (tsup.sendmail.config.ts), all about its start-up on every mail:
 *
 * - ASCII only. One non-ASCII character makes V8 hold the whole 200 KB
 *   source as a two-byte string, which is slower to decode and to compile.
 *   esbuild already escapes strings; it leaves regular-expression literals
 *   alone, so their non-ASCII characters become `\uXXXX` escapes here (same
 *   meaning with and without the `u` flag). Anything non-ASCII left
 *   elsewhere fails the build instead of being guessed at.
 * - Already wrapped in Node's CommonJS function wrapper, so the bin compiles
 *   the file's text as it is (wrapping at run time copies the whole source
 *   once more). Run directly with `node`, the file throws instead of silently
 *   doing nothing.
 * - A build stamp: the last line carries the bundle's SHA-256, so the code
 *   cache (src/tools/cli/sendmail/code-cache.ts) is keyed on the exact bytes.
 */
import { createHash } from 'node:crypto';
import ts from 'typescript';

/** The last line of the bundle; code-cache.ts reads it back as part of the identity. */
export const STAMP_PREFIX = '//# mailhygiene-build sha256=';

/** `code` with every non-ASCII character of its regex literals escaped; throws if any other remains. */
export function asciiOnly(code: string, fileName = 'bundle.cjs'): string {
  if (isAscii(code)) return code;
  const file = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const regexes: Array<{ start: number; end: number }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isRegularExpressionLiteral(node)) {
      regexes.push({ start: node.getStart(file), end: node.end });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = '';
  let from = 0;
  for (const r of regexes) {
    out += code.slice(from, r.start) + escapeRegexLiteral(code.slice(r.start, r.end));
    from = r.end;
  }
  out += code.slice(from);
  const left = /[^\x00-\x7f]/.exec(out);
  if (left) {
    const line = out.slice(0, left.index).split('\n').length;
    throw new Error(
      `${fileName}:${line}: non-ASCII ${JSON.stringify(left[0])} outside a string or regex literal; escape it in the source`,
    );
  }
  return out;
}

function escapeRegexLiteral(literal: string): string {
  let out = '';
  for (let i = 0; i < literal.length; i++) {
    const c = literal.charCodeAt(i);
    if (c < 0x80) {
      out += literal[i];
      continue;
    }
    // `\é` is an identity escape; `\\u00e9` would mean something else.
    if (literal[i - 1] === '\\') {
      throw new Error(`escaped non-ASCII character in regex literal ${literal}`);
    }
    // UTF-16 code units: a surrogate pair written as two escapes is one code point under /u too.
    out += `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return out;
}

function isAscii(s: string): boolean {
  return !/[^\x00-\x7f]/.test(s);
}

/**
 * `code` as one function expression taking Node's five CommonJS bindings;
 * the script's completion value is that function. `this` is the global
 * object only when the bin compiles it as a script; under `require()` it is
 * `module.exports`, and the guard throws.
 */
export function commonJsWrapped(code: string): string {
  return `if(this!==globalThis)throw new Error("mailhygiene-sendmail: run the bin (dist/cli/sendmail.cjs), not this file");
(function (exports, require, module, __filename, __dirname) {${code}
})`;
}

/** `code` with its build stamp as the last line. */
export function withBuildStamp(code: string): string {
  const body = code.endsWith('\n') ? code : `${code}\n`;
  return `${body}${STAMP_PREFIX}${createHash('sha256').update(body).digest('hex')}\n`;
}

/** tsup plugin: ASCII-only, wrapped and stamped output for the chunks whose path ends with `suffix`. */
export function sendmailBundlePlugin(suffix: string) {
  return {
    name: 'mailhygiene-sendmail-bundle',
    renderChunk(code: string, chunk: { path: string }) {
      if (!chunk.path.endsWith(suffix)) return undefined;
      return { code: withBuildStamp(commonJsWrapped(asciiOnly(code, chunk.path))) };
    },
  };
}
