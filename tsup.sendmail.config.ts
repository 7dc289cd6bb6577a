import { defineConfig } from 'tsup';

/**
 * The `mailhygiene-sendmail` bin as one file: it starts for every PHP mail,
 * so our code and the small `validator/lib/isEmail` are bundled (no module
 * resolution at start-up); iconv-lite and htmlparser2 stay external and are
 * loaded only when a message needs them; nodemailer is imported through a
 * variable specifier by smtpTransport and is never bundled.
 *
 * CommonJS on purpose: in an ESM bundle esbuild hoists the `import` of
 * htmlparser2 to the top of the file, so it would load for every mail even
 * though html-to-text is imported lazily; in CommonJS the `require` stays
 * inside the lazily run module. `shims` provides `import.meta.url` (used by
 * the lazy `createRequire` of iconv-lite). The file is `dist/cli/sendmail.cjs`.
 */
export default defineConfig({
  entry: { 'cli/sendmail': 'src/cli/sendmail.ts' },
  format: ['cjs'],
  shims: true,
  outDir: 'dist',
  target: 'node20',
  platform: 'node',
  splitting: false,
  sourcemap: false,
  clean: false,
  dts: false,
  minify: false,
  noExternal: ['validator'],
  external: ['iconv-lite', 'htmlparser2', 'nodemailer', 'zod'],
});
