import { defineConfig } from 'tsup';
import { sendmailBundlePlugin } from './scripts/sendmail-bundle.js';

/**
 * The `mailhygiene-sendmail` bin: `dist/cli/sendmail.cjs`, a small loader,
 * and `dist/cli/sendmail-main.cjs`, the program it runs through a V8 code
 * cache (src/tools/cli/sendmail.ts). The program is one file: it starts for every
 * PHP mail, so all our code is bundled (no module resolution at start-up);
 * iconv-lite and htmlparser2 stay external
 * and are loaded only when a message needs them; nodemailer is imported
 * through a variable specifier by smtpTransport and is never bundled.
 *
 * CommonJS on purpose: in an ESM bundle esbuild hoists the `import` of
 * htmlparser2 to the top of the file, so it would load for every mail even
 * though html-to-text is imported lazily; in CommonJS the `require` stays
 * inside the lazily run module. `shims` provides `import.meta.url` (used by
 * the lazy `createRequire` of iconv-lite).
 *
 * No `import()` may remain in the output: code compiled by `vm.Script` has no
 * dynamic-import hook in Node 20 (only an experimental one that warns on
 * stderr), so the one left (nodemailer, a CommonJS package) becomes `require`.
 *
 * Start-up cost grows with the bytes Node reads and V8 decodes, so the
 * program is minified (whitespace and syntax; names stay, so the stack trace
 * of an internal error in a dead letter still reads), ASCII only and stamped
 * with its hash for the code cache (scripts/sendmail-bundle.ts).
 */
export default defineConfig({
  entry: {
    'cli/sendmail': 'src/tools/cli/sendmail.ts',
    'cli/sendmail-main': 'src/tools/cli/sendmail/main.ts',
  },
  format: ['cjs'],
  shims: true,
  outDir: 'dist',
  target: 'node20',
  platform: 'node',
  splitting: false,
  sourcemap: false,
  clean: false,
  dts: false,
  minifyWhitespace: true,
  minifySyntax: true,
  external: ['iconv-lite', 'htmlparser2', 'nodemailer', 'zod'],
  plugins: [sendmailBundlePlugin('sendmail-main.cjs')],
  esbuildOptions(options) {
    options.supported = { ...options.supported, 'dynamic-import': false };
  },
});
