/**
 * repair() runs on the sendmail shim's hot path: what it loads at start-up must
 * not include zod (schema/compose), the HTML-to-text converter (htmlparser2) or
 * iconv-lite, which load only when a message needs them. Floors are entered
 * through index.ts barrels, so the source import graph says little; this
 * bundles repair as the shim's build does (esbuild, tree-shaken) and reads
 * which packages the bundle loads eagerly.
 */
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');
const EXTERNAL = ['zod', 'iconv-lite', 'htmlparser2', 'nodemailer'];

let meta: Metafile;
let code = '';
beforeAll(async () => {
  const result = await build({
    stdin: {
      contents: "export { repair } from './repair/index.js';",
      resolveDir: SRC,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    metafile: true,
    // CommonJS as the shim's bundle: a lazily run module keeps its require() inside.
    format: 'cjs',
    platform: 'node',
    splitting: false,
    external: EXTERNAL,
    logLevel: 'silent',
  });
  meta = result.metafile;
  code = result.outputFiles[0]!.text;
});

/** The packages the bundle requires (not node: built-ins). */
function packages(): string[] {
  const out = Object.values(meta.outputs)[0]!;
  return out.imports.filter((i) => i.external && !i.path.startsWith('node:')).map((i) => i.path);
}

/** The source files with code in the bundle, relative to src/. */
function inputs(): string[] {
  const out = Object.values(meta.outputs)[0]!;
  return Object.entries(out.inputs)
    .filter(([, v]) => v.bytesInOutput > 0)
    .map(([p]) => p.replace(/^.*?src\//, ''));
}

describe('repair start-up', () => {
  it('does not load zod, iconv-lite or htmlparser2 when it starts', () => {
    // zod and iconv-lite are not required at all (iconv-lite loads through createRequire).
    expect(packages().filter((p) => p !== 'htmlparser2')).toEqual([]);
    // A require at the top level runs at start-up; one inside an init function when called.
    expect(code).not.toMatch(/^var import_\w+ = (?:__toESM\()?require\("(?!node:)/m);
    expect(code).toMatch(/^\s+import_htmlparser2 = (?:__toESM\()?require\("htmlparser2"\)/m);
  });

  it('leaves out compose() and its schema', () => {
    expect(inputs()).not.toContain('compose/schema.ts');
    expect(inputs()).not.toContain('compose/compose.ts');
  });

  it('the bundle is what it seems (renderer, reader and repair are in it)', () => {
    expect(inputs()).toEqual(
      expect.arrayContaining(['wire/mime/render.ts', 'read/parse.ts', 'repair/body.ts']),
    );
  });
});
