/**
 * Issue 16.3: every limit lives in src/wire/limits.ts with its reason, and
 * the policy no longer claims choices nothing reads.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { strictPolicy } from '../../src/index.js';
import * as limits from '../../src/wire/limits.js';

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* sources(p);
    else if (p.endsWith('.ts')) yield p;
  }
}

/** Code lines (not comments) of the floors that write mail, holding a bare line limit. */
function bareLimits(): string[] {
  const out: string[] = [];
  for (const floor of ['wire', 'read', 'compose', 'repair']) {
    for (const file of sources(join('src', floor))) {
      if (file.endsWith(join('wire', 'limits.ts'))) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/^\s*(\*|\/\/|\/\*)/.test(line)) return;
          if (/(^|[^0-9.x_\w])(78|998|76|75|4000|900|255|254)(?![0-9])/.test(line))
            out.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
  }
  return out;
}

describe('limits', () => {
  it('Policy has no foldAt or maxLineLength: nothing read them', () => {
    expect(Object.keys(strictPolicy)).not.toContain('foldAt');
    expect(Object.keys(strictPolicy)).not.toContain('maxLineLength');
  });
  it('holds the RFC numbers', () => {
    expect(limits.FOLD_AT).toBe(78);
    expect(limits.MAX_LINE_LENGTH).toBe(998);
    expect(limits.MAX_ENCODED_BODY_LINE).toBe(76);
    expect(limits.MAX_ENCODED_WORD).toBe(75);
  });
  it('wire, read, compose and repair import them instead of writing the numbers', () => {
    expect(bareLimits()).toEqual([]);
  });
});
