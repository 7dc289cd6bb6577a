/** Mixed-script labels (UTS #39 highly restrictive), the form's homograph check. */
import { describe, expect, it } from 'vitest';
import { isMixedScriptLabel, mixedScriptLabel } from '../../src/tools/form/index.js';

describe('isMixedScriptLabel', () => {
  it('refuses Latin mixed with Cyrillic or Greek look-alikes', () => {
    expect(isMixedScriptLabel('\u0430pple')).toBe(true); // Cyrillic а
    expect(isMixedScriptLabel('p\u0430yp\u0430l')).toBe(true);
    expect(isMixedScriptLabel('g\u03bfogle')).toBe(true); // Greek ο
  });
  it('accepts one script, digits and hyphens, and the CJK combinations', () => {
    for (const label of [
      'bücher',
      'fußball',
      'пример',
      'ελληνικά',
      '例え',
      '日本語テストabc',
      '한국abc中',
      'a-1',
    ]) {
      expect(isMixedScriptLabel(label)).toBe(false);
    }
  });
  it('refuses Cyrillic with Greek (no allowed mix)', () => {
    expect(isMixedScriptLabel('пα')).toBe(true);
  });
});

describe('mixedScriptLabel', () => {
  it('decodes A-labels before checking', () => {
    expect(mixedScriptLabel('xn--pple-43d.com')).toBe('\u0430pple');
    expect(mixedScriptLabel('xn--bcher-kva.example')).toBeNull();
    expect(mixedScriptLabel('example.com')).toBeNull();
  });
});
