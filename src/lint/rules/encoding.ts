/** C. Header encoding (RFC 2047 / RFC 6532). */

import type { WordProblem } from '../../read/index.js';
import { has8bitString, isValidUtf8 } from '../../read/index.js';
import { type Rule, rule } from '../context.js';

const ADDRESS_FIELDS = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'sender',
  'resent-from',
  'resent-to',
  'resent-cc',
  'resent-bcc',
  'resent-sender',
]);
/** Structured fields where an encoded-word is never allowed. */
const NO_WORDS = new Set([
  'received',
  'message-id',
  'in-reply-to',
  'references',
  'date',
  'mime-version',
  'content-transfer-encoding',
  'return-path',
  'content-id',
  'resent-date',
  'resent-message-id',
]);

const subjectNeedsEncoding = rule('subject-needs-encoding', 'error', 'C', ['raw'], (ctx) => {
  for (const f of ctx.headers('subject')) {
    if (has8bitString(ctx.raw(f))) {
      ctx.report(
        subjectNeedsEncoding,
        'Subject contains raw 8-bit octets. Header fields are US-ASCII (RFC 5322 §2.2); encode the text as RFC 2047 encoded-words (=?UTF-8?Q?…?=).',
        ctx.loc(f),
      );
    }
  }
});

const header8bit = rule('header-8bit-without-smtputf8', 'error', 'C', ['raw'], (ctx) => {
  for (const [h, part] of ctx.allFields()) {
    // With SMTPUTF8, UTF-8 addresses are legal in address fields (RFC 6532 §3.2).
    if (
      ctx.options.smtputf8 &&
      ADDRESS_FIELDS.has(h.key) &&
      isValidUtf8(Buffer.from(ctx.raw(h), 'latin1'))
    )
      continue;
    if (part.path === '' && h.key === 'subject') continue;
    if (has8bitString(h.name) || has8bitString(ctx.raw(h))) {
      const hint = ADDRESS_FIELDS.has(h.key)
        ? 'encode the display name as an RFC 2047 encoded-word and the domain as an A-label (xn--)'
        : h.key.startsWith('content-')
          ? "use RFC 2231 parameters (filename*=UTF-8''…) for non-ASCII values"
          : 'encode the text as RFC 2047 encoded-words';
      ctx.report(
        header8bit,
        `Raw 8-bit octets in ${h.name} without SMTPUTF8 (RFC 6532); ${hint}.`,
        ctx.loc(h, part),
      );
    }
  }
});

const WORD_PROBLEM_TEXT: Record<WordProblem, string> = {
  'bad-charset-token': 'the charset is not a token',
  'bad-encoding': 'the encoding is not B or Q',
  'whitespace-inside': 'it contains whitespace',
  'bad-q-text': 'the Q text has characters that must be =XX-escaped or an invalid =XX',
  'bad-base64': 'the B text is not valid base64 with padding',
  'too-long': 'it is longer than 75 characters',
  'split-character': 'it does not hold whole UTF-8 characters (a multi-byte character is split)',
};

const encodedWordSyntax = rule('encoded-word-syntax', 'error', 'C', ['raw'], (ctx) => {
  for (const [h, part] of ctx.allFields()) {
    const words = ctx.words(h);
    if (words.length === 0) continue;
    const raw = ctx.raw(h);
    for (const w of words) {
      if (w.problems.length === 0) continue;
      const shown = raw.slice(w.start, w.end);
      ctx.report(
        encodedWordSyntax,
        `Encoded-word "${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}" is malformed: ${w.problems.map((p) => WORD_PROBLEM_TEXT[p]).join('; ')}. Re-encode the text (RFC 2047 §2, §4, §5).`,
        ctx.loc(h, part),
      );
    }
    // RFC 2047 §2: a line holding encoded-words is at most 76 characters.
    let start = h.start;
    for (let i = 0; i < h.lines; i++) {
      let end = ctx.msg.bytes.indexOf(0x0a, start);
      if (end === -1 || end > h.end) end = h.end;
      let len = end - start;
      if (ctx.msg.bytes[end - 1] === 0x0d) len--;
      if (len > 76 && ctx.msg.bytes.toString('latin1', start, end).includes('=?')) {
        ctx.report(
          encodedWordSyntax,
          `A line with encoded-words is ${len} characters; the limit is 76 (RFC 2047 §2). Fold between encoded-words.`,
          ctx.loc(h, part),
        );
        break;
      }
      start = end + 1;
    }
  }
});

const forbiddenContext = rule('encoded-word-forbidden-context', 'error', 'C', ['raw'], (ctx) => {
  for (const [h, part] of ctx.allFields()) {
    if (ctx.words(h).length === 0) continue;
    if (NO_WORDS.has(h.key)) {
      ctx.report(
        forbiddenContext,
        `Encoded-word in ${h.name}, a structured field where RFC 2047 does not apply; write the value in plain ASCII.`,
        ctx.loc(h, part),
      );
    } else if (ADDRESS_FIELDS.has(h.key)) {
      for (const mb of ctx.addresses(h).mailboxes) {
        if (mb.address.includes('=?')) {
          ctx.report(
            forbiddenContext,
            `Encoded-word inside the address "${mb.address}" (RFC 2047 §5 forbids it in an addr-spec); parsers decode it differently. Use the plain address.`,
            ctx.loc(h, part),
          );
        } else if (mb.rawDisplayName.startsWith('"') && mb.rawDisplayName.includes('=?')) {
          ctx.report(
            forbiddenContext,
            `Encoded-word inside a quoted display name ${mb.rawDisplayName} (RFC 2047 §5 forbids it); remove the quotes around the encoded-word.`,
            ctx.loc(h, part),
          );
        }
      }
    } else if (h.key === 'content-type' || h.key === 'content-disposition') {
      ctx.report(
        forbiddenContext,
        `Encoded-word in a ${h.name} parameter (RFC 2047 §5 forbids it; common in the wild). Use RFC 2231 (filename*=UTF-8''…) instead.`,
        ctx.loc(h, part),
        'info',
      );
    }
  }
});

const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f\u0085\u2028\u2029]/u;
/** Bidi overrides and isolates: spoofing, not structure, so a warning (catalogue A, header-control-chars). */
const BIDI = /[\u202a-\u202e\u2066-\u2069]/u;
const ADDR_SPECIALS = /[,<>@;:"]/;

const unsafeContent = rule('encoded-word-unsafe-content', 'error', 'C', ['raw'], (ctx) => {
  for (const [h, part] of ctx.allFields()) {
    const words = ctx.words(h);
    let specials = false;
    for (const w of words) {
      const m = UNSAFE.exec(w.decoded);
      if (m) {
        const cp = m[0].codePointAt(0)!;
        ctx.report(
          unsafeContent,
          `An encoded-word decodes to U+${cp.toString(16).toUpperCase().padStart(4, '0')} (control or line separator). A decoder may turn it into a new header line; remove the character before encoding.`,
          ctx.loc(h, part),
        );
      } else if (BIDI.test(w.decoded)) {
        const cp = BIDI.exec(w.decoded)![0].codePointAt(0)!;
        ctx.report(
          unsafeContent,
          `An encoded-word decodes to the bidi control U+${cp.toString(16).toUpperCase()}; it can make the text display in a different order than it is read (spoofing). Remove it unless the text really needs it.`,
          ctx.loc(h, part),
          'warning',
        );
      } else if (ADDRESS_FIELDS.has(h.key) && ADDR_SPECIALS.test(w.decoded)) specials = true;
    }
    if (specials) {
      ctx.report(
        unsafeContent,
        `An encoded display name decodes to address specials (, < > @ ; : "); a consumer that decodes before parsing may split or redirect the address. Avoid such characters in display names where possible.`,
        ctx.loc(h, part),
        'info',
      );
    }
  }
});

const adjacency = rule('encoded-word-adjacency', 'warning', 'C', ['raw'], (ctx) => {
  for (const [h, part] of ctx.allFields()) {
    const raw = ctx.raw(h);
    const words = ctx.words(h);
    let prevEnd = -2;
    for (const w of words) {
      const before = raw[w.start - 1];
      const after = raw[w.end];
      if (w.start === prevEnd) {
        ctx.report(
          adjacency,
          'Two encoded-words are joined without whitespace ("?==?"); separate them with a space or fold (RFC 2047 §5(1)). Yahoo rejects such mail.',
          ctx.loc(h, part),
        );
      } else if (before !== undefined && !/[\s("]/.test(before)) {
        ctx.report(
          adjacency,
          'An encoded-word directly follows ordinary text, so decoders do not recognise it; put whitespace before it (RFC 2047 §5(1)).',
          ctx.loc(h, part),
        );
      } else if (after !== undefined && !/[\s)"]/.test(after) && !raw.startsWith('=?', w.end)) {
        ctx.report(
          adjacency,
          'An encoded-word is directly followed by ordinary text, so decoders do not recognise it; put whitespace after it (RFC 2047 §5(1)).',
          ctx.loc(h, part),
        );
      }
      prevEnd = w.end;
    }
  }
});

const NEEDLESS_FIELDS = ['from', 'to', 'cc', 'reply-to', 'subject'];
const needlessEncoding = rule('needless-encoding', 'info', 'C', ['raw'], (ctx) => {
  for (const name of NEEDLESS_FIELDS) {
    for (const f of ctx.headers(name)) {
      const words = ctx.words(f);
      if (words.length === 0) continue;
      if (
        words.every((w) => !has8bitString(w.bytes.toString('latin1')) && !w.decoded.includes('=?'))
      ) {
        ctx.report(
          needlessEncoding,
          `${f.name} is RFC 2047-encoded although the text is plain ASCII (a ratware fingerprint: FROM_EXCESS_BASE64). Write it unencoded, quoting where needed.`,
          ctx.loc(f),
        );
      }
    }
  }
});

export const encodingRules: Rule[] = [
  subjectNeedsEncoding,
  header8bit,
  encodedWordSyntax,
  forbiddenContext,
  unsafeContent,
  adjacency,
  needlessEncoding,
];
