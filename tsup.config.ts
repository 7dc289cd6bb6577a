import { defineConfig } from 'tsup';

export default defineConfig([
  // The library: ESM + CJS with types.
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    // No source maps in the package: dist is not minified (stack traces read as they
    // are), and maps that embed src/ doubled the unpacked size (CHANGELOG 0.1.x).
    sourcemap: false,
    clean: true,
    target: 'node20',
    // ESM: the lazily imported HTML → text converter gets its own chunk, so
    // htmlparser2 loads only when a message needs a text part from HTML.
    splitting: true,
    // import.meta.url (lazy createRequire of iconv-lite) must work in the CJS build too.
    shims: true,
  },
  // The operator CLI, one file (its shebang is kept by esbuild).
  {
    entry: { 'cli/mailhygiene': 'src/tools/cli/mailhygiene.ts' },
    format: ['esm'],
    target: 'node20',
    splitting: false,
    sourcemap: false,
  },
]);
