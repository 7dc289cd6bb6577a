/**
 * The mailbox parser reads a quoted display name with the shared scanner of
 * wire/cfws.ts (issue 16: one quote/comment scanner), so an unclosed quote
 * is called unclosed.
 */
import { describe, expect, it } from 'vitest';
import { parseMailbox } from '../../src/wire/index.js';

const reason = (raw: string) => {
  try {
    parseMailbox(raw, 'from', { smtputf8: false });
  } catch (e) {
    return (e as Error).message;
  }
  return 'accepted';
};

describe('quoted display names', () => {
  it('unquotes quoted pairs', () => {
    expect(parseMailbox('"A \\"B\\" \\\\ C" <a@b.example>', 'from', { smtputf8: false }).name).toBe(
      'A "B" \\ C',
    );
    expect(parseMailbox('"Doe, Jane" <a@b.example>', 'from', { smtputf8: false }).name).toBe(
      'Doe, Jane',
    );
  });
  it('calls a quote that never closes unterminated', () => {
    expect(reason('"Ann <a@b.example>')).toMatch(/unterminated quoted display name/);
    expect(reason('"Ann\\" <a@b.example>')).toMatch(/unterminated quoted display name/);
  });
  it('refuses text after the closing quote', () => {
    expect(reason('"Ann" x <a@b.example>')).toMatch(/text outside the quoted display name/);
  });
});
