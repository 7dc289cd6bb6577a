// Property: every message compose() builds lints clean (no errors, no warnings).
// Needs the lead's src/compose/compose.ts; it fails until compose lands.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import { lint } from '../../src/lint/index.js';

const word = fc.stringMatching(/^[A-Za-z0-9äöüßÄÖÜéèñ€😀]{1,12}$/u);
const text = fc.array(word, { minLength: 1, maxLength: 40 }).map((w) => w.join(' '));

describe('composed messages lint clean', () => {
  it('text, html, attachments and non-ASCII names', async () => {
    await fc.assert(
      fc.asyncProperty(
        text,
        text,
        fc.option(text),
        fc.boolean(),
        async (subject, body, name, withHtml) => {
          const msg = await compose({
            from: { name: name ?? 'Shop', address: 'shop@example.com' },
            to: 'erika@example.org',
            subject,
            text: body,
            ...(withHtml ? { html: `<p>${body}</p>` } : {}),
            attachments: [{ filename: 'report.pdf', content: Buffer.from('%PDF-1.4') }],
          });
          const report = lint(msg.raw, { envelope: msg.envelope });
          expect(report.findings.filter((f) => f.severity !== 'info')).toEqual([]);
        },
      ),
      { numRuns: 50 },
    );
  });
});
