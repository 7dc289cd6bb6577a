import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRuleId, RULE_IDS, rules, SELF_CHECK_RULES } from '../../src/lint/index.js';
import { ACTIONS } from '../../src/repair/applied.js';

const catalogue = readFileSync(join(import.meta.dirname, '../../docs/HYGIENE-RULES.md'), 'utf8');
/** `### \`id\`` headings, in catalogue order. */
const documented = [...catalogue.matchAll(/^### `([a-z0-9-]+)`/gm)].map((m) => m[1]!);
/** Documented but judged by doctor (DKIM verification), not by a lint rule. */
const NOT_LINT = ['dkim-header-coverage'];

describe('RuleId', () => {
  it('RULE_IDS is the catalogue of docs/HYGIENE-RULES.md, in its order', () => {
    expect([...RULE_IDS]).toEqual(documented.filter((id) => !NOT_LINT.includes(id)));
  });

  it('RULE_IDS is the registered rules, in their order, each once', () => {
    expect(rules.map((r) => r.id)).toEqual([...RULE_IDS]);
    expect(new Set(RULE_IDS).size).toBe(RULE_IDS.length);
  });

  it('isRuleId accepts the ids and nothing else', () => {
    for (const id of RULE_IDS) expect(isRuleId(id)).toBe(true);
    for (const id of ['', 'Missing-Date', 'missing_date', 'dkim-header-coverage', 'toString'])
      expect(isRuleId(id)).toBe(false);
  });

  it('the self-check selection and repair actions name only rule ids', () => {
    for (const id of SELF_CHECK_RULES) expect(isRuleId(id)).toBe(true);
    for (const id of Object.keys(ACTIONS)) expect(isRuleId(id)).toBe(true);
  });
});
