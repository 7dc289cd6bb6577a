/**
 * repair() runs on the sendmail shim's hot path: its static import graph must
 * not reach zod (schema/compose), html-to-text or iconv-lite, which load only
 * when a message needs them.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');
const STATIC_IMPORT = /^\s*import\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

/** Static (non-type) imports reachable from `entry`: local files and bare packages. */
function graph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const stack = [entry];
  while (stack.length) {
    const file = stack.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(STATIC_IMPORT)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) stack.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  }
  return { files, packages };
}

describe('repair start-up', () => {
  const { files, packages } = graph(join(SRC, 'repair.ts'));
  const rel = [...files].map((f) => f.slice(SRC.length + 1));
  it('does not import zod, compose or the schema', () => {
    expect(rel).not.toContain('schema.ts');
    expect(rel).not.toContain('compose.ts');
    expect([...packages].filter((p) => p.startsWith('zod'))).toEqual([]);
  });
  it('loads html-to-text and iconv-lite lazily only', () => {
    expect(rel.filter((f) => f.startsWith('body/html-to-text'))).toEqual([]);
    expect(packages.has('iconv-lite')).toBe(false);
    expect(readFileSync(join(SRC, 'repair.ts'), 'utf8')).toContain(
      "import('./body/html-to-text.js')",
    );
  });
  it('the graph is what it seems (the walker sees the renderer and the lint parser)', () => {
    expect(rel).toEqual(
      expect.arrayContaining(['mime/render.ts', 'lint/parse.ts', 'repair/body.ts']),
    );
  });
});
