/**
 * Attachment filenames longer than 255 UTF-16 units keep their end (the
 * extension) and start at a grapheme cluster boundary (issue 14 item 3: the
 * cut went through a surrogate pair and the name started with U+FFFD).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAttachmentFilename } from '../../src/compose/attachment.js';
import { compose } from '../../src/compose/compose.js';
import { MAX_FILENAME } from '../../src/wire/limits.js';
import { SCRIPT_PIECES } from '../support/mail-input.js';

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });
const boundaries = (s: string) => new Set([...graphemes.segment(s)].map((g) => g.index));

describe('long filenames', () => {
  it('are cut between grapheme clusters, never through a surrogate pair', async () => {
    const name = `${'😀'.repeat(128)}.pdf`;
    const cut = parseAttachmentFilename(name, 'f');
    expect(cut).toBe(`${'😀'.repeat(125)}.pdf`);
    const { raw } = await compose({
      from: 'a@example.com',
      to: 'b@example.org',
      subject: 's',
      text: 'x',
      attachments: [{ filename: name, content: 'x' }],
    });
    // RFC 2231: 125 × F0 9F 98 80, no EF BF BD (U+FFFD)
    expect(raw.toString('latin1')).not.toContain('%EF%BF%BD');
  });

  it('keep at most 255 units from the end, starting at a cluster boundary', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...SCRIPT_PIECES.filter((p) => !/[/\\]/.test(p))), {
          minLength: 60,
          maxLength: 200,
        }),
        (pieces) => {
          const name = `x${pieces.join('')}.txt`;
          const cut = parseAttachmentFilename(name, 'f');
          expect(name.endsWith(cut)).toBe(true);
          expect(cut.length).toBeLessThanOrEqual(MAX_FILENAME);
          // well-formed UTF-16: a lone surrogate would come back from UTF-8 as U+FFFD
          expect(Buffer.from(cut, 'utf8').toString('utf8')).toBe(cut);
          if (cut !== name) {
            expect(boundaries(name).has(name.length - cut.length)).toBe(true);
            // the next boundary further left would have been too long
            const earlier = [...boundaries(name)].filter((b) => b < name.length - cut.length);
            expect(name.length - Math.max(...earlier)).toBeGreaterThan(MAX_FILENAME);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('cut inside a cluster only when one cluster is longer than the limit', () => {
    const cut = parseAttachmentFilename(`a${'\u0301'.repeat(300)}`, 'f');
    expect(cut).toBe('\u0301'.repeat(MAX_FILENAME));
  });
});
