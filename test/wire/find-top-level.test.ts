/**
 * findTopLevel (wire/cfws.ts) is the one scanner for "outside comments and
 * quoted strings" (issue 16); read/address-list.ts had three copies of it.
 * Held here to the copy it replaced, and to nested comments.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAddressList } from '../../src/read/index.js';
import { findTopLevel } from '../../src/wire/index.js';

/** The replaced topIndexOf of read/address-list.ts, as it was. */
function oldTopIndexOf(s: string, ch: string): number {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && (quoted || depth > 0)) i++;
    else if (quoted) {
      if (c === '"') quoted = false;
    } else if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if (depth === 0 && c === '"') quoted = true;
    else if (depth === 0 && c === ch) return i;
  }
  return -1;
}

describe('findTopLevel', () => {
  it('answers as the scanner it replaced', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('(', ')', '"', '\\', ',', 'a', ' '), maxLength: 16 }),
        (s) => {
          expect(findTopLevel(s, (c) => c === ',')).toBe(oldTopIndexOf(s, ','));
        },
      ),
      { numRuns: 5000 },
    );
  });
  it('skips nested comments and quoted strings', () => {
    expect(findTopLevel('(a (b, c) d), x', (c) => c === ',')).toBe(12);
    expect(findTopLevel('"a, \\" b", x', (c) => c === ',')).toBe(9);
    expect(findTopLevel('(open (, x', (c) => c === ',')).toBe(-1);
  });
  it('lets address lists split only at top-level commas', () => {
    const r = parseAddressList('"Doe, J" (x, (y, z)) <a@example.org>, b@example.org');
    expect(r.mailboxes.map((m) => m.address)).toEqual(['a@example.org', 'b@example.org']);
  });
});
