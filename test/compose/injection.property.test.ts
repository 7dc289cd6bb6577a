/**
 * Issue 3: random strings with injected CR/LF/NUL/controls/Unicode line
 * separators in EVERY input field either throw a typed error naming that field,
 * or give bytes whose header set (as Python's email package splits it) is
 * exactly the expected one: no extra field, no extra recipient, envelope as given.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/compose/compose.js';
import type { MessageInput } from '../../src/compose/types.js';
import { MailHygieneError } from '../../src/wire/errors.js';
import { pyFindings, usePythonEmail } from '../support/python-email.js';
import { hostileString } from '../support/unicode.js';

const py = usePythonEmail();

const BASE_NAMES = [
  'Date',
  'From',
  'To',
  'Subject',
  'Message-ID',
  'MIME-Version',
  'Content-Type',
  'Content-Transfer-Encoding',
];
const base: MessageInput = {
  from: 'Site <site@example.com>',
  to: 'Erika <erika@example.org>',
  subject: 'Hello',
  text: 'Body',
};

interface FieldCase {
  /** Input field path prefix a typed error must name. */
  field: string;
  build(v: string): MessageInput;
  /** Header names beyond BASE_NAMES when accepted. */
  extra: string[];
  /** Base header names that are absent (a multipart message has no top-level CTE). */
  omit?: string[];
  /** Envelope recipients beyond erika@example.org when accepted. */
  rcpt?: (v: string) => string[];
}

const cases: FieldCase[] = [
  { field: 'subject', build: (v) => ({ ...base, subject: v }), extra: [] },
  { field: 'from', build: (v) => ({ ...base, from: `Site ${v} <site@example.com>` }), extra: [] },
  { field: 'from', build: (v) => ({ ...base, from: `site${v}@example.com` }), extra: [] },
  {
    field: 'from.name',
    build: (v) => ({ ...base, from: { name: v, address: 'site@example.com' } }),
    extra: [],
  },
  {
    field: 'from.address',
    build: (v) => ({ ...base, from: { address: `site${v}@example.com` } }),
    extra: [],
  },
  { field: 'to', build: (v) => ({ ...base, to: `Erika ${v} <erika@example.org>` }), extra: [] },
  {
    field: 'to',
    build: (v) => ({ ...base, to: `erika${v}@example.org` }),
    extra: [],
    rcpt: () => [],
  },
  {
    field: 'to[0].name',
    build: (v) => ({ ...base, to: [{ name: v, address: 'erika@example.org' }] }),
    extra: [],
  },
  {
    field: 'cc',
    build: (v) => ({ ...base, cc: `cc${v}@example.net` }),
    extra: ['Cc'],
    rcpt: (v) => [`cc${v}@example.net`],
  },
  {
    field: 'bcc',
    build: (v) => ({ ...base, bcc: `Hidden ${v} <bcc@example.net>` }),
    extra: [],
    rcpt: () => ['bcc@example.net'],
  },
  {
    field: 'replyTo',
    build: (v) => ({ ...base, replyTo: `Reply ${v} <reply@example.net>` }),
    extra: ['Reply-To'],
  },
  {
    field: 'sender',
    build: (v) => ({ ...base, sender: { name: v, address: 'sender@example.com' } }),
    extra: ['Sender'],
  },
  { field: 'headers', build: (v) => ({ ...base, headers: [[`X-${v}`, 'value']] }), extra: ['X-?'] },
  { field: 'headers', build: (v) => ({ ...base, headers: { 'X-Note': v } }), extra: ['X-Note'] },
  { field: 'messageId', build: (v) => ({ ...base, messageId: `<id${v}@example.com>` }), extra: [] },
  {
    field: 'inReplyTo',
    build: (v) => ({ ...base, inReplyTo: `<id${v}@example.com>` }),
    extra: ['In-Reply-To'],
  },
  {
    field: 'references',
    build: (v) => ({ ...base, references: ['<a@example.com>', `<id${v}@example.com>`] }),
    extra: ['References'],
  },
  {
    field: 'listUnsubscribe',
    build: (v) => ({
      ...base,
      listUnsubscribe: { url: `https://example.com/u?x=${v}`, oneClick: true },
    }),
    extra: ['List-Unsubscribe', 'List-Unsubscribe-Post'],
  },
  {
    field: 'listUnsubscribe',
    build: (v) => ({ ...base, listUnsubscribe: { mailto: `unsub${v}@example.com` } }),
    extra: ['List-Unsubscribe'],
  },
  {
    field: 'attachments',
    build: (v) => ({ ...base, attachments: [{ filename: v, content: 'x' }] }),
    extra: [],
    omit: ['Content-Transfer-Encoding'],
  },
  {
    field: 'attachments',
    build: (v) => ({
      ...base,
      attachments: [{ filename: 'a.txt', content: 'x', contentType: `text/plain${v}` }],
    }),
    extra: [],
    omit: ['Content-Transfer-Encoding'],
  },
  {
    field: 'attachments',
    build: (v) => ({
      ...base,
      html: '<img src="cid:logo">',
      attachments: [{ content: 'x', contentType: 'image/png', cid: `logo${v}` }],
    }),
    extra: [],
    omit: ['Content-Transfer-Encoding'],
  },
  {
    field: 'envelope',
    build: (v) => ({ ...base, envelope: { from: `bounce${v}@example.com` } }),
    extra: [],
  },
];

describe('injection in every field: typed error or exactly the expected headers', () => {
  it.each(cases.map((c, i) => [i, c.field, c] as const))('case %i (%s)', async (_i, _f, c) => {
    await fc.assert(
      fc.asyncProperty(hostileString(6), async (v) => {
        let msg: Awaited<ReturnType<typeof compose>>;
        try {
          // The whole self-check (issue 17): lint's rules as well as the wire verifier.
          msg = await compose(c.build(v), { selfCheck: 'full' });
        } catch (e) {
          if (!(e instanceof MailHygieneError)) throw e;
          // The From address doubles as the envelope sender: that refusal names `from`.
          const field =
            e.code === 'INVALID_ENVELOPE_SENDER' && c.field.startsWith('from.') ? 'from' : c.field;
          expect(e.field ?? '', `${e.code}: ${e.message}`).toMatch(
            new RegExp(`^${field.replace(/[.[\]]/g, '\\$&')}`),
          );
          return;
        }
        const judged = await py.check(msg.raw);
        expect(pyFindings(judged)).toEqual([]);
        const expected = [
          ...BASE_NAMES.filter((n) => !c.omit?.includes(n)),
          ...c.extra.filter((n) => n !== 'X-?'),
        ];
        const names = judged.headers.names.filter(
          (n) => !(c.extra.includes('X-?') && n.startsWith('X-')),
        );
        expect([...names].sort()).toEqual([...expected].sort());
        const rcpt = c.rcpt ? c.rcpt(v) : [];
        const wantTo =
          c.rcpt && c.field === 'to'
            ? [`erika${v}@example.org`.toLowerCase()]
            : ['erika@example.org', ...rcpt];
        expect(msg.envelope.to.map((a) => a.toLowerCase())).toEqual(
          wantTo.map((a) => a.toLowerCase()),
        );
        for (const a of [msg.envelope.from, ...msg.envelope.to])
          expect(a).toMatch(/^[\x21-\x7e]*$/);
      }),
      { numRuns: Number(process.env['PROPERTY_RUNS'] ?? 60) },
    );
  });
});
