/**
 * The package as installed, used as its README says: `npm pack` → install the
 * tarball into a fresh project → both bins through `node_modules/.bin` (npm's
 * links), `import` and `require`, `tsc` against the shipped types, publint and
 * @arethetypeswrong/cli on the tarball, PHP's mail() through the installed
 * `mailhygiene-sendmail`. Every other test runs the source tree; this one
 * catches what only packing and linking break. Needs `npm run build` first.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanEnv,
  devBin,
  type InstalledProject,
  installPackage,
  ROOT,
} from './support/install.js';

const sample = (f: string) => join(ROOT, 'test/fixtures/samples', f);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

let p: InstalledProject;
beforeAll(async () => {
  p = await installPackage();
  const kb = (n: number) => `${(n / 1000).toFixed(1)} kB`;
  // For the CI log (and release notes): what the tarball holds.
  console.log(
    `${p.pack.filename}: ${kb(p.pack.size)} packed, ${kb(p.pack.unpackedSize)} unpacked, ${p.pack.files.length} files\n` +
      p.pack.files.map((f) => `  ${kb(f.size).padStart(9)}  ${f.path}`).join('\n'),
  );
});
afterAll(async () => {
  await p?.remove();
});

describe('the tarball', () => {
  it('holds the built code, types, docs and licence, and no source maps, sources or tests', () => {
    const files = p.pack.files.map((f) => f.path);
    for (const f of [
      'LICENSE',
      'README.md',
      'CHANGELOG.md',
      'package.json',
      'docs/HYGIENE-RULES.md',
      'dist/index.js',
      'dist/index.cjs',
      'dist/index.d.ts',
      'dist/index.d.cts',
      'dist/cli/mailhygiene.js',
      'dist/cli/sendmail.cjs',
      'dist/cli/sendmail-main.cjs',
    ]) {
      expect(files, f).toContain(f);
    }
    expect(
      files.filter(
        (f) => !/^(dist\/|docs\/HYGIENE-RULES\.md$|[A-Z]+\.md$|LICENSE$|package\.json$)/.test(f),
      ),
    ).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
  });
  it('passes publint (warnings count as errors)', () => {
    const r = spawnSync(
      process.execPath,
      [devBin('publint', 'publint'), 'run', '--strict', p.tarball],
      { encoding: 'utf8', env: cleanEnv() },
    );
    console.log(r.stdout + r.stderr);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('All good!');
  });
  it('passes @arethetypeswrong/cli: the types resolve under node10, node16 (ESM and CJS) and bundler', () => {
    const r = spawnSync(
      process.execPath,
      [
        devBin('@arethetypeswrong/cli', 'attw'),
        p.tarball,
        '--format',
        'ascii',
        '--no-color',
        '--no-emoji',
      ],
      { encoding: 'utf8', env: cleanEnv() },
    );
    console.log(r.stdout + r.stderr);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('No problems found');
  });
});

describe('the mailhygiene bin through node_modules/.bin', () => {
  const mh = (args: string[], input?: string | Buffer) =>
    p.run(p.bin('mailhygiene'), args, input === undefined ? {} : { input });

  it('is npm’s symlink and prints help and version', () => {
    if (process.platform !== 'win32')
      expect(lstatSync(p.bin('mailhygiene')).isSymbolicLink()).toBe(true);
    const help = mh(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: mailhygiene <command>');
    expect(mh(['--version']).stdout).toBe(`mailhygiene ${pkg.version}\n`);
    expect(mh([]).code).toBe(64);
  });
  it('lint: exit 0 clean, 2 with errors, --json, 64 for an unknown rule, 66 for no input', () => {
    const clean = mh(['lint', sample('good.eml')]);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toContain('0 errors, 0 warnings');
    const bad = mh(['lint', sample('bad.eml')]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain('missing-date');
    const json = mh(['lint', '--json', sample('bad.eml'), sample('good.eml')]);
    expect(json.code).toBe(2);
    const out = JSON.parse(json.stdout) as { files: Array<{ errors: number }>; errors: number };
    expect(out.files).toHaveLength(2);
    expect(out.errors).toBe(out.files[0]!.errors);
    expect(out.files[1]!.errors).toBe(0);
    expect(mh(['lint', '--rule', 'no-such-rule', sample('good.eml')]).code).toBe(64);
    expect(mh(['lint'], '').code).toBe(66);
  });
  it('lint --help points to the rule catalogue, and the package has it there', () => {
    const help = mh(['lint', '--help']).stdout;
    const path = /node_modules\/mailhygiene\/docs\/HYGIENE-RULES\.md/.exec(help)?.[0];
    expect(path).toBeDefined();
    expect(readFileSync(join(p.dir, path!), 'utf8')).toContain('### `date-skew`');
  });
  it('repair writes the repaired message to stdout (not an empty file)', () => {
    const r = mh(['repair', sample('bad-latin1.eml')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(100);
    expect(r.stderr).toContain('missing-date');
    const again = mh(['lint', '--json', '-'], r.stdout);
    expect(JSON.parse(again.stdout).errors).toBe(0);
  });
  it('doctor --help lists its exit statuses', () => {
    const r = mh(['doctor', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('66');
  });
});

/** What PHP's mail() writes to sendmail: LF line ends, raw UTF-8, no Date or Message-ID. */
const PHP_STYLE = Buffer.from(
  'To: erika@example.org\nSubject: Grüße aus Köln\nFrom: Web Shop <shop@example.com>\n\nHallo Erika,\nviele Grüße.\n',
  'utf8',
);

/** A config with the file transport into `<name>/outbox`; returns the directories. */
async function shimSandbox(name: string) {
  const dir = join(p.dir, name);
  const outbox = join(dir, 'outbox');
  await mkdir(dir, { recursive: true });
  const config = join(dir, 'mailhygiene.json');
  await writeFile(
    config,
    JSON.stringify({
      transport: { type: 'file', dir: outbox },
      envelopeFrom: 'bounces@example.com',
      deadLetterDir: join(dir, 'dead'),
    }),
  );
  const env = { MAILHYGIENE_CONFIG: config, MAILHYGIENE_CACHE_DIR: join(dir, 'cache') };
  const sent = () => {
    const names = existsSync(outbox) ? readdirSync(outbox).filter((f) => f.endsWith('.eml')) : [];
    return names.map((f) => ({
      eml: readFileSync(join(outbox, f)),
      record: JSON.parse(readFileSync(join(outbox, f.replace(/\.eml$/, '.json')), 'utf8')) as {
        envelope: { from: string; to: string[] };
      },
    }));
  };
  return { env, sent };
}

describe('the mailhygiene-sendmail bin through node_modules/.bin', () => {
  it('--help prints the usage and exits 0', () => {
    const r = p.run(p.bin('mailhygiene-sendmail'), ['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('usage: mailhygiene-sendmail');
  });
  it('repairs and hands a PHP-style message to the file transport', async () => {
    const box = await shimSandbox('shim');
    const r = p.run(p.bin('mailhygiene-sendmail'), ['-t', '-i'], {
      input: PHP_STYLE,
      env: box.env,
    });
    expect(r.code, r.stderr).toBe(0);
    const [mail, ...more] = box.sent();
    expect(more).toHaveLength(0);
    expect(mail!.record.envelope).toEqual({
      from: 'bounces@example.com',
      to: ['erika@example.org'],
    });
    const text = mail!.eml.toString('latin1');
    expect(text).toMatch(/^Date: /m);
    expect(text).toContain('Subject: =?UTF-8?');
    const lint = p.run(p.bin('mailhygiene'), ['lint', '--json', '-'], { input: mail!.eml });
    expect(JSON.parse(lint.stdout).errors).toBe(0);
  });
});

describe('the library from the installed package', () => {
  const script = async (name: string, code: string) => {
    await writeFile(join(p.dir, name), code);
    const r = p.run(process.execPath, [name]);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { errors: number; text: boolean; version: string };
  };
  // HTML only: the text part comes from the lazily loaded HTML → text converter (its own chunk).
  const body = `{ from: 'Jürgen <juergen@example.com>', to: 'erika@example.org', subject: 'Grüße',
    html: '<p>Hallo <b>Erika</b></p>' }`;

  it('import (ESM)', async () => {
    const out = await script(
      'esm.mjs',
      `import { compose, lint } from 'mailhygiene';
import { createRequire } from 'node:module';
const m = await compose(${body});
const { version } = createRequire(import.meta.url)('mailhygiene/package.json');
console.log(JSON.stringify({ errors: lint(m.raw).errors, text: m.raw.includes('text/plain'), version }));`,
    );
    expect(out).toEqual({ errors: 0, text: true, version: pkg.version });
  });
  it('require (CommonJS)', async () => {
    const out = await script(
      'cjs.cjs',
      `const { compose, lint } = require('mailhygiene');
const { version } = require('mailhygiene/package.json');
compose(${body}).then((m) => {
  console.log(JSON.stringify({ errors: lint(m.raw).errors, text: m.raw.includes('text/plain'), version }));
});`,
    );
    expect(out).toEqual({ errors: 0, text: true, version: pkg.version });
  });
  it.each(['tsconfig.node16.json', 'tsconfig.bundler.json'])(
    'type-checks a typed usage file (tsc --noEmit -p %s)',
    (tsconfig) => {
      const r = spawnSync(
        process.execPath,
        [devBin('typescript', 'tsc'), '--noEmit', '-p', tsconfig],
        { cwd: p.dir, encoding: 'utf8', env: cleanEnv() },
      );
      expect(r.status, r.stdout + r.stderr).toBe(0);
    },
  );
});

/** php-cli: installed by scripts/setup-oracles.sh, so always there in CI. */
const php = spawnSync('sh', ['-c', 'command -v php'], { encoding: 'utf8' }).stdout.trim();
if (!php && process.env['CI'])
  throw new Error('php-cli is missing: run bash scripts/setup-oracles.sh');
if (!php) console.warn('SKIPPED: PHP mail() through the installed shim (php-cli is not installed)');

describe('PHP mail() with sendmail_path at the installed link', () => {
  it.skipIf(!php)('delivers through mailhygiene-sendmail -t -i', async () => {
    const box = await shimSandbox('php');
    const code = `$ok = mail('erika@example.org', 'Grüße aus Köln', "Hallo Erika,\\nviele Grüße.\\n",
      "From: Web Shop <shop@example.com>");
echo $ok ? 'MAIL_TRUE' : 'MAIL_FALSE';`;
    const out = execFileSync(
      php,
      ['-n', '-d', `sendmail_path=${p.bin('mailhygiene-sendmail')} -t -i`, '-r', code],
      { cwd: p.dir, env: cleanEnv(box.env), encoding: 'utf8' },
    );
    expect(out).toBe('MAIL_TRUE');
    const [mail, ...more] = box.sent();
    expect(more).toHaveLength(0);
    expect(mail!.record.envelope).toEqual({
      from: 'bounces@example.com',
      to: ['erika@example.org'],
    });
    const lint = p.run(p.bin('mailhygiene'), ['lint', '--json', '-'], { input: mail!.eml });
    expect(JSON.parse(lint.stdout).errors).toBe(0);
  });
});
