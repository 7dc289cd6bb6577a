/**
 * The floor rules of .dependency-cruiser.cjs (run by `npm run lint` over src/)
 * fail on what they forbid: a small tree in a temporary folder with one
 * import of each kind, checked with the project's own configuration.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'mh-floors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs depcruise over `files` (path → source) and returns the violated rule names. */
function violations(files: Record<string, string>): string[] {
  const root = mkdtempSync(join(dir, 'case-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  writeFileSync(
    join(root, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' } }),
  );
  let out: string;
  try {
    out = execFileSync(
      join(ROOT, 'node_modules/.bin/depcruise'),
      ['src', '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json'],
      { cwd: root, encoding: 'utf8' },
    );
  } catch (e) {
    out = (e as { stdout: string }).stdout;
  }
  const result = JSON.parse(out) as { summary: { violations: Array<{ rule: { name: string } }> } };
  return [...new Set(result.summary.violations.map((v) => v.rule.name))].sort();
}

const INDEXES = {
  'src/wire/index.ts': "export { w } from './w.js';\n",
  'src/wire/w.ts': 'export const w = 1;\n',
  'src/read/index.ts': "export { r } from './r.js';\n",
  'src/read/r.ts': "import { w } from '../wire/index.js';\nexport const r = w;\n",
  'src/tools/index.ts': 'export const t = 3;\n',
};

describe('floor rules', () => {
  it('accept a downward import through the floor index', () => {
    expect(violations(INDEXES)).toEqual([]);
  });

  it('refuse an upward import', () => {
    expect(
      violations({
        ...INDEXES,
        'src/wire/w.ts': "import { r } from '../read/index.js';\nexport const w = r;\n",
      }),
    ).toContain('no-upward-from-wire');
  });

  it('refuse an import into another floor’s internals', () => {
    expect(
      violations({
        ...INDEXES,
        'src/read/r.ts': "import { w } from '../wire/w.js';\nexport const r = w;\n",
      }),
    ).toEqual(['only-through-index']);
  });

  it('allow a dynamic import of an internal module (lazy loading)', () => {
    expect(
      violations({
        ...INDEXES,
        'src/tools/index.ts': "export const t = async () => (await import('../read/r.js')).r;\n",
      }),
    ).toEqual([]);
  });

  it('refuse a floor importing the public entry point', () => {
    expect(
      violations({
        ...INDEXES,
        'src/index.ts': "export { t } from './tools/index.js';\n",
        'src/read/r.ts': "import { t } from '../index.js';\nexport const r = t;\n",
      }),
    ).toEqual(['no-floor-imports-public-index']);
  });
});
