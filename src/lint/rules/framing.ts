/** A. Message framing and line syntax. */

import { type Rule, rule } from '../context.js';
import { plural } from '../plural.js';

const bareCrOrLf = rule('bare-cr-or-lf', 'error', 'A', ['raw'], (ctx) => {
  const s = ctx.msg.stats;
  if (s.bareLf > 0 && s.crlf > 0) {
    ctx.report(
      bareCrOrLf,
      `Mixed line endings: ${s.crlf} CRLF and ${s.bareLf} bare LF. Normalise every line ending to CRLF (or consistently to LF when handing the message to local sendmail).`,
      { part: '', line: s.firstBareLf },
    );
  } else if (s.bareLf > 0) {
    ctx.report(
      bareCrOrLf,
      `Lines end in bare LF (${plural(s.bareLf, 'line')}). On the wire every line must end in CRLF (RFC 5322 §2.3); convert before sending over SMTP. Only local /usr/sbin/sendmail accepts LF.`,
      { part: '', line: s.firstBareLf },
    );
  }
  if (s.bareCr > 0) {
    ctx.report(
      bareCrOrLf,
      `${s.bareCr} bare CR octet(s) not followed by LF${s.crcrlf ? ` (${s.crcrlf} CR CR LF)` : ''}. A lone CR can hide a header line (injection); remove it or encode the content.`,
      { part: '', line: s.firstBareCr },
    );
  }
});

const nulByte = rule('nul-byte', 'error', 'A', ['raw'], (ctx) => {
  const b = ctx.msg.bytes;
  const at = b.indexOf(0);
  if (at === -1) return;
  // NUL inside base64/QP-encoded parts cannot occur raw; only identity-encoded content matters.
  for (const part of ctx.msg.parts) {
    const headerEnd = part.bodyStart;
    if (b.subarray(part.start, headerEnd).indexOf(0) !== -1) {
      ctx.report(nulByte, 'A NUL octet in the header block. Remove it; headers cannot carry NUL.', {
        part: part.path,
      });
    }
    if (part.children.length === 0 && ctx.facts(part).nul) {
      ctx.report(
        nulByte,
        'A NUL octet in the body. 7bit/8bit content must not contain NUL (RFC 2045 §2.7); base64-encode binary content.',
        { part: part.path },
      );
    }
  }
});

const lineTooLong = rule('line-too-long', 'error', 'A', ['raw'], (ctx) => {
  const s = ctx.msg.stats;
  for (const l of s.over998) {
    ctx.report(
      lineTooLong,
      `Line is ${l.length} octets; the limit is 998 (RFC 5322 §2.1.1). Fold the header, or send the body as quoted-printable.`,
      { part: '', line: l.line },
    );
  }
  if (s.over998Count > s.over998.length) {
    ctx.report(lineTooLong, `${s.over998Count - s.over998.length} more lines exceed 998 octets.`);
  }
  if (s.over78Count > s.over998Count) {
    ctx.report(
      lineTooLong,
      `${s.over78Count - s.over998Count} line(s) exceed 78 characters (RFC 5322 §2.1.1 SHOULD); fold headers and use quoted-printable for long text lines.`,
      { part: '', line: s.firstOver78 },
      'info',
    );
  }
});

const OBSCURED = /[\u0085\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;
const OBSCURED_BUT_NEL = /[\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;

const headerControlChars = rule('header-control-chars', 'error', 'A', ['raw'], (ctx) => {
  for (const part of ctx.msg.parts) {
    for (const h of part.headers) {
      const raw = ctx.raw(h);
      // Folding CR LF is removed by raw(); anything left below 0x20 but TAB is a control.
      const m = /[\x00-\x08\x0a-\x1f\x7f]/.exec(raw);
      if (m) {
        const cp = m[0].charCodeAt(0);
        ctx.report(
          headerControlChars,
          `Control character U+${cp.toString(16).toUpperCase().padStart(4, '0')} in the field body. Field bodies may only hold printable characters and WSP; remove it (a CR or LF here is a header-injection attempt).`,
          ctx.loc(h, part),
        );
        continue;
      }
      const text = ctx.value(h);
      const c1 = /[\u0080-\u009f]/.exec(text);
      // Only a C1 code point written in UTF-8 is one: raw legacy bytes 0x80–0x9F (text is then
      // the bytes themselves) are windows-1252 € – „ …, header-8bit-without-smtputf8's finding.
      if (c1 && text !== raw.trim()) {
        ctx.report(
          headerControlChars,
          `C1 control character U+${c1[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} in the field body; remove it.`,
          ctx.loc(h, part),
        );
        continue;
      }
      const decoded = ctx.decodedValue(h);
      // In raw legacy bytes (text is the bytes) 0x85 is windows-1252 "…", not U+0085 NEL.
      const legacyBytes = text === raw.trim() && /[\x80-\xff]/.test(raw);
      const o = (legacyBytes ? OBSCURED_BUT_NEL : OBSCURED).exec(decoded);
      if (o) {
        ctx.report(
          headerControlChars,
          `Invisible or line-separating character U+${o[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} (zero-width, bidi or line separator) in the field${decoded !== text ? ' after decoding' : ''}; remove it — some parsers split lines on it or it disguises the text.`,
          ctx.loc(h, part),
          'warning',
        );
      }
    }
  }
});

const headerNameInvalid = rule('header-name-invalid', 'error', 'A', ['raw'], (ctx) => {
  for (const part of ctx.msg.parts) {
    for (const h of part.headers) {
      if (h.name === '') {
        ctx.report(
          headerNameInvalid,
          'A header line starts with ":" (empty field name). Remove the line or give it a name.',
          { part: part.path, area: 'header', line: h.line },
        );
      } else if (/[^\x21-\x39\x3b-\x7e]/.test(h.name)) {
        ctx.report(
          headerNameInvalid,
          `Field name "${h.name}" contains characters outside printable US-ASCII. Use an ASCII name (RFC 5322 §3.6.8).`,
          ctx.loc(h, part),
        );
      }
      if (h.spaceBeforeColon) {
        ctx.report(
          headerNameInvalid,
          `Whitespace between the field name "${h.name}" and the colon. Write "${h.name}:" with no space (RFC 5322 §2.2).`,
          ctx.loc(h, part),
        );
      }
    }
  }
});

const headerFoldingInvalid = rule('header-folding-invalid', 'error', 'A', ['raw'], (ctx) => {
  for (const d of ctx.msg.defects) {
    const where = { part: d.path, line: d.line };
    if (d.kind === 'first-line-continuation') {
      ctx.report(
        headerFoldingInvalid,
        'The header block starts with a whitespace-indented line (a continuation with nothing to continue). Remove the leading whitespace or the line.',
        where,
      );
    } else if (d.kind === 'whitespace-only-continuation') {
      ctx.report(
        headerFoldingInvalid,
        'A folded header line consists only of whitespace (obs-FWS, RFC 5322 §4.2). Remove the empty continuation line.',
        where,
      );
    }
  }
  for (const part of ctx.msg.parts) {
    for (const h of part.headers) {
      if (h.lines < 2) continue;
      const raw = ctx.msg.bytes.toString('latin1', h.valueStart, h.end);
      // A fold inside an encoded-word breaks the word for every decoder.
      if (/=\?[^?\s]*\?[bBqQ]\?[^?\s]*\r?\n[ \t]+[^?\s]*\?=/.test(raw)) {
        ctx.report(
          headerFoldingInvalid,
          'A line fold splits an encoded-word. Fold only between words; start a new encoded-word on the next line instead.',
          ctx.loc(h, part),
        );
      }
    }
  }
});

const missingSeparator = rule('missing-header-body-separator', 'error', 'A', ['raw'], (ctx) => {
  for (const d of ctx.msg.defects) {
    if (d.kind !== 'missing-separator') continue;
    ctx.report(
      missingSeparator,
      `Line ${d.line} is not a header field, but no empty line separates the header from the body. Insert an empty line (CRLF CRLF) after the last header (RFC 5322 §2.1).`,
      { part: d.path, area: 'header', line: d.line },
    );
  }
});

export const framingRules: Rule[] = [
  bareCrOrLf,
  nulByte,
  lineTooLong,
  headerControlChars,
  headerNameInvalid,
  headerFoldingInvalid,
  missingSeparator,
];
