/**
 * Property tests: random Unicode (astral, ZWJ, CJK, RTL, combining marks,
 * controls) in every field gives either a typed error or bytes that independent
 * parsers (Python email, postal-mime, mailparser) read back exactly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import type { MessageInput } from '../../src/compose/types.js';
import { MailHygieneError } from '../../src/wire/errors.js';
import { findUnsafeCodePoint } from '../../src/wire/header/single-line.js';
import { parseMailparser, parsePostal, toLf } from '../support/npm-parsers.js';
import {
  pyDisplayNameKey,
  pyFindings,
  pyPartBytes,
  usePythonEmail,
} from '../support/python-email.js';
import { hostileString, safeString } from '../support/unicode.js';

/** Property suites run the whole self-check: lint's rules as well as the wire verifier (issue 17). */
const FULL = { selfCheck: 'full' } as const;

const py = usePythonEmail();

const RUNS = Number(process.env['PROPERTY_RUNS'] ?? 150);

/** Every judge reads the message back as the input. */
async function expectRoundTrip(input: MessageInput, raw: Buffer): Promise<void> {
  const r = await py.check(raw);
  expect(pyFindings(r), 'python email defects').toEqual([]);
  expect(r.headers.subject).toBe(input.subject);
  const from = input.from as { name: string; address: string };
  const to = input.to as Array<{ name: string; address: string }>;
  // Python's display-name whitespace quirk (pyDisplayNameKey); the npm parsers check names exactly below.
  const pyName = (m: { name: string; address: string }) => ({
    name: pyDisplayNameKey(m.name),
    address: m.address,
  });
  const pyNames = (l: Array<{ name: string; address: string }> | null) => l?.map(pyName);
  expect(pyNames(r.headers.from)).toEqual([pyName(from)]);
  expect(pyNames(r.headers.to)).toEqual(to.map(pyName));
  const textPart = r.parts.find((p) => p.contentType === 'text/plain');
  // A single-part message ends in CRLF, which parsers count as the text's last line end.
  // A leading U+FEFF is read as a byte order mark by the WHATWG TextDecoder the npm parsers use.
  const norm = (s: string) =>
    toLf(s)
      .replace(/\n$/, '')
      .replace(/^\ufeff+/, '');
  const sameText = (got: string | null | undefined) =>
    expect(norm(got ?? '')).toBe(norm(input.text as string));
  if (input.text !== undefined) sameText(textPart?.text);
  const att = input.attachments?.[0];
  if (att) {
    const part = r.parts.find((p) => p.disposition === 'attachment');
    // Python's get_filename() applies email.utils.unquote even to RFC 2231 values,
    // removing one pair of surrounding "" or <>, then str.strip() (`"\t"` reads as '').
    const PY_SPACE =
      '[\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+';
    const pyStrip = (f: string) =>
      f.replace(new RegExp(`^${PY_SPACE}`), '').replace(new RegExp(`${PY_SPACE}$`), '');
    const pyUnquote = (f: string) =>
      pyStrip(/^(".*"|<.*>)$/s.test(f) && f.length > 1 ? f.slice(1, -1) : f);
    expect(part?.filename).toBe(pyUnquote(att.filename!));
    expect(pyPartBytes(part!).equals(Buffer.from(att.content as Uint8Array))).toBe(true);
  }
  const parsers = [
    { name: 'postal-mime', parsed: await parsePostal(raw) },
    { name: 'mailparser', parsed: await parseMailparser(raw) },
  ];
  for (const { name, parsed } of parsers) {
    // Both decode with WHATWG TextDecoder, which drops a U+FEFF at the start of
    // each decoded encoded-word (it takes it for a byte order mark).
    const bom = (s: string | null | undefined) => (s ?? '').replace(/^\ufeff+/, '');
    const mb = (m: { name: string; address: string }) => ({
      name: bom(m.name),
      address: m.address,
    });
    expect(bom(parsed.subject)).toBe(bom(input.subject));
    expect(parsed.from.map(mb)).toEqual([mb(from)]);
    expect(parsed.to.map(mb)).toEqual(to.map(mb));
    if (input.text !== undefined) sameText(parsed.text);
    if (att) {
      // postal-mime 4.0.0 decodes encoded-word look-alikes even inside an RFC 2231
      // filename* value (RFC 2047 §5 forbids that); Python and mailparser do not.
      const quirk = name === 'postal-mime' && /=\?[^?]*\?[bqBQ]\?[^?]*\?=/.test(att.filename ?? '');
      if (!quirk) expect(bom(parsed.attachments[0]?.filename)).toBe(bom(att.filename));
      expect(parsed.attachments[0]?.content.equals(Buffer.from(att.content as Uint8Array))).toBe(
        true,
      );
    }
  }
}

describe('compose round-trip through independent parsers', () => {
  it('accepts every safe value and reproduces it exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        safeString(40),
        safeString(12),
        safeString(12),
        safeString(300),
        safeString(10).filter(
          (s) => s.trim() === s && s !== '' && !/[/\\]/.test(s) && !['.', '..'].includes(s),
        ),
        fc.uint8Array({ maxLength: 300 }),
        async (subject, fromName, toName, text, filename, bytes) => {
          const input: MessageInput = {
            from: { name: fromName, address: 'sender@example.com' },
            to: [{ name: toName, address: 'erika@example.org' }],
            subject,
            text,
            attachments: [{ filename, content: bytes }],
          };
          const { raw } = await compose(input, FULL);
          await expectRoundTrip(input, raw);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('gives a typed error exactly when a single-line field holds a line break or control', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileString(20),
        hostileString(8),
        hostileString(8),
        async (subject, fromName, header) => {
          const input: MessageInput = {
            from: { name: fromName, address: 'sender@example.com' },
            to: [{ name: 'Erika', address: 'erika@example.org' }],
            subject,
            text: 'body',
            headers: { 'X-Note': header },
          };
          const unsafe = [subject, fromName, header].some((v) => findUnsafeCodePoint(v) !== -1);
          try {
            const { raw } = await compose(input, FULL);
            expect(unsafe, 'accepted a value with a control character').toBe(false);
            await expectRoundTrip(input, raw);
          } catch (e) {
            if (!(e instanceof MailHygieneError)) throw e;
            expect(unsafe, `typed error for a safe value: ${e.code} ${e.message}`).toBe(true);
            expect(['HEADER_INJECTION']).toContain(e.code);
            expect(['subject', 'from.name', 'headers.X-Note']).toContain(e.field);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
