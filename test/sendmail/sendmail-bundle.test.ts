/**
 * The build step of the shim's program bundle (scripts/sendmail-bundle.ts):
 * regex literals made ASCII without changing what they match, and the build
 * stamp the code cache keys on.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInThisContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import {
  asciiOnly,
  commonJsWrapped,
  STAMP_PREFIX,
  withBuildStamp,
} from '../../scripts/sendmail-bundle.js';
import { readBundle } from '../../src/tools/cli/sendmail/code-cache.js';

/** The value of a JavaScript expression given as source text. */
function evaluate(expr: string): unknown {
  return new Function(`return (${expr});`)();
}

describe('asciiOnly', () => {
  it('leaves ASCII code as it is', () => {
    const code = 'const a = b / c / d, r = /[a-z]+\\/x/g; // done\n';
    expect(asciiOnly(code)).toBe(code);
  });

  it('escapes regex literals, which still match exactly the same strings', () => {
    const regexes = [
      '/[$€£¥₽]/u',
      '/\\b(auftragsbestätigung|buchungsbestätigung)\\b/i',
      '/ä+ö?/',
      '/😀|[🎉-🎊]/u',
      '/x😀y/',
      '/^[^€]*$/',
      '/(?<näme>ß)\\k<näme>/u',
    ];
    const samples = [
      '€',
      '£',
      'x',
      '$',
      'Auftragsbestätigung',
      'ääö',
      '😀',
      '🎉',
      '🎊',
      'x😀y',
      'ß',
      'ßß',
      '\ud83d',
      'abc',
    ];
    for (const literal of regexes) {
      const escaped = asciiOnly(`const r = ${literal};`);
      expect(escaped).toMatch(/^[\x00-\x7f]*$/);
      const before = evaluate(literal) as RegExp;
      const after = evaluate(escaped.slice('const r = '.length, -1)) as RegExp;
      expect(after.flags).toBe(before.flags);
      for (const s of samples)
        expect([literal, s, after.test(s)]).toEqual([literal, s, before.test(s)]);
    }
  });

  it('does not mistake division for a regex', () => {
    const code = 'x = a / 2 / b; y = /ü/.test(z) / 1;';
    expect(asciiOnly(code)).toBe('x = a / 2 / b; y = /\\u00fc/.test(z) / 1;');
  });

  it('refuses non-ASCII outside regex literals, naming the line', () => {
    expect(() => asciiOnly('x;\n// Grüße\n', 'main.cjs')).toThrow(/main\.cjs:2: non-ASCII "ü"/);
    expect(() => asciiOnly('const s = "ä";')).toThrow(/non-ASCII/);
    expect(() => asciiOnly('const größe = 1;')).toThrow(/non-ASCII/);
  });

  it('refuses an escaped non-ASCII character in a regex (its escape would change meaning)', () => {
    expect(() => asciiOnly('const r = /\\é/;')).toThrow(/escaped non-ASCII/);
  });
});

describe('commonJsWrapped', () => {
  const code =
    '"use strict";module.exports.seen = [typeof exports, typeof require, __filename, __dirname, this === module.exports];';

  it('compiles as a script to the CommonJS wrapper function (strict inside)', () => {
    const fn = runInThisContext(commonJsWrapped(code)) as (...a: unknown[]) => void;
    const mod = { exports: {} as Record<string, unknown> };
    fn.call(mod.exports, mod.exports, () => {}, mod, '/x/main.cjs', '/x');
    expect(mod.exports['seen']).toEqual(['object', 'function', '/x/main.cjs', '/x', true]);
    expect(() =>
      (
        runInThisContext(commonJsWrapped('"use strict";undeclaredName = 1;')) as (
          ...a: unknown[]
        ) => void
      )(),
    ).toThrow(ReferenceError); // "use strict" stays the body's directive: no implicit global
  });

  it('throws when loaded as a module instead of through the bin', () => {
    // What Node's require() does with the file: its text inside Node's own wrapper.
    const asModule = new Function(
      'exports',
      'require',
      'module',
      '__filename',
      '__dirname',
      commonJsWrapped(code),
    );
    const mod = { exports: {} };
    expect(() => asModule.call(mod.exports, mod.exports, () => {}, mod, 'f', 'd')).toThrow(
      /run the bin/,
    );
  });
});

describe('withBuildStamp', () => {
  const root = mkdtempSync(join(tmpdir(), 'mh-bundle-stamp-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('appends the SHA-256 of the code as the last line, which readBundle picks up', () => {
    const code = '"use strict";console.log(1);';
    const stamped = withBuildStamp(code);
    const hash = createHash('sha256').update(`${code}\n`).digest('hex');
    expect(stamped).toBe(`${code}\n${STAMP_PREFIX}${hash}\n`);
    const path = join(root, 'main.cjs');
    writeFileSync(path, stamped);
    expect(readBundle(path).identity?.endsWith(` ${STAMP_PREFIX}${hash}`)).toBe(true);
  });

  it('gives different code different stamps', () => {
    expect(withBuildStamp('a=1;')).not.toBe(withBuildStamp('a=2;'));
  });
});
