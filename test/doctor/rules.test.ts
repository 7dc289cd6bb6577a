import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { doctorRules } from '../../src/tools/doctor/index.js';

describe('doctor rules', () => {
  const ids = doctorRules.map((r) => r.id);

  test('ids are unique kebab-case', () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
  });

  test('every id is documented in the README table', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('### What is checked'));
    const documented = (id: string): boolean =>
      table.includes(`\`${id}\``) ||
      // `envelope-mx*` and `…-mx-layout` cover both roles
      /^(envelope|from)-mx/.test(id);
    expect(ids.filter((id) => !documented(id))).toEqual([]);
  });
});
