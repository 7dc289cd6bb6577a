/** E (content). HTML/text structure, empty bodies, attachments, format=flowed. */
import { decodedBody, has8bitString, type MimePart, parseParams } from '../../read/index.js';
import { findUnsafeCodePoint, formatCodePoint } from '../../wire/index.js';
import { type LintContext, type Rule, rule } from '../context.js';
import { wordSet } from '../words.js';
import { confusable } from './addresses.js';

function hdr(part: MimePart, key: string) {
  return part.headers.find((h) => h.key === key);
}
function isAttachment(ctx: LintContext, part: MimePart): boolean {
  const cd = hdr(part, 'content-disposition');
  return cd !== undefined && /^\s*attachment/i.test(ctx.raw(cd));
}
/** Text/HTML leaves that are message bodies, not attached files. */
function bodyLeaves(ctx: LintContext, type: string): MimePart[] {
  return ctx.leaves().filter((p) => p.mediaType === type && !isAttachment(ctx, p));
}
function text(ctx: LintContext, part: MimePart): string {
  return ctx.bodyText(part).text;
}

/** Visible text of HTML: scripts, styles and tags removed, a few entities decoded. */
export function htmlToPlain(html: string): string {
  const text = stripTags(stripRawTextBlocks(html));
  // Every replacement below starts at "&": text without one is already plain.
  if (!text.includes('&')) return text;
  return (
    text
      .replace(/&nbsp;/gi, ' ')
      .replace(/&amp;/gi, '&')
      .replace(/&lt;/gi, '<')
      .replace(/&gt;/gi, '>')
      .replace(/&quot;/gi, '"')
      // Past U+10FFFF fromCodePoint throws: U+FFFD, as HTML decodes it (WHATWG §13.2.5.80).
      .replace(/&#(\d+);/g, (_, d: string) =>
        Number(d) <= 0x10ffff ? String.fromCodePoint(Number(d)) : '\ufffd',
      )
  );
}

/** How far into a body HTML must show its shape: a document starts with its markup. */
const HTML_HEAD = 4096;
/** An element that makes a document: `<!DOCTYPE html>`, `<html>`, `<head>`, `<body>`. */
const HTML_ROOT = /<(?:!doctype\s+html|html|head|body)\b[^<>]{0,200}>/i;
/** One tag of common body markup, opening or closing (bounded: linear on any input). */
const HTML_TAG =
  /<\/?(?:html|head|body|title|meta|p|br|div|span|table|tr|td|a|b|i|u|strong|em|font|img|ul|ol|li|h[1-6])\b[^<>]{0,200}>/gi;

const UU_BEGIN_ANY_LINE = /^begin [0-7]{3,4} \S/m;

/**
 * Text with its uuencoded blocks (`begin 644 name` … `end`, as Outlook and
 * Pine attach files in plain text) removed: they are data, and their
 * alphabet holds `<` and letters.
 */
export function withoutUuencode(text: string): string {
  // No line starts a block (`^` with the m flag matches at least at every line start
  // the split below sees): only the CR of each CR LF goes, as the split drops it.
  if (!UU_BEGIN_ANY_LINE.test(text)) return text.replace(/\r(?=\n|$)/g, '');
  const out: string[] = [];
  let inBlock = false;
  for (const line of text.split('\n')) {
    const l = line.replace(/\r$/, '');
    if (!inBlock && /^begin [0-7]{3,4} \S/.test(l)) inBlock = true;
    else if (inBlock && l === 'end') inBlock = false;
    else if (!inBlock) out.push(l);
  }
  return out.join('\n');
}

/**
 * True when text looks like an HTML document, not text with a tag-like run
 * in it: within its first kilobytes, a root element and two more tags, or
 * markup from its first character on and three tags.
 */
export function looksLikeHtml(text: string): boolean {
  const head = withoutUuencode(text.slice(0, 4 * HTML_HEAD)).slice(0, HTML_HEAD);
  const tags = head.match(HTML_TAG)?.length ?? 0;
  if (HTML_ROOT.test(head)) return tags >= 3;
  return /^\s*</.test(head) && tags >= 3;
}

/**
 * `<script …>…</script>` (and style, head) blocks replaced by a space, each
 * closed by the first `</name>` after it. One scan: the regex
 * `<(script|style|head)\b[\s\S]*?<\/\1\s*>` rescanned to the end from every
 * unclosed `<script` (issue 14).
 */
function stripRawTextBlocks(html: string): string {
  const open = /<(script|style|head)\b/gi;
  const unclosed = new Set<string>(); // no `</name>` after this point: stop looking
  let out = '';
  let from = 0;
  for (let m = open.exec(html); m; m = open.exec(html)) {
    const name = m[1]!.toLowerCase();
    if (unclosed.has(name)) continue;
    const close = CLOSE_TAG[name]!;
    close.lastIndex = open.lastIndex;
    const c = close.exec(html);
    if (!c) {
      unclosed.add(name);
      continue;
    }
    out += `${html.slice(from, m.index)} `;
    from = open.lastIndex = c.index + c[0].length;
  }
  return out + html.slice(from);
}
const CLOSE_TAG: Record<string, RegExp> = {
  script: /<\/script\s*>/gi,
  style: /<\/style\s*>/gi,
  head: /<\/head\s*>/gi,
};

/** Every `<…>` replaced by a space, by indexOf (`/<[^>]*>/g` was quadratic on `<<<…`). */
function stripTags(html: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const lt = html.indexOf('<', from);
    const gt = lt === -1 ? -1 : html.indexOf('>', lt + 1);
    if (gt === -1) return out + html.slice(from);
    out += `${html.slice(from, lt)} `;
    from = gt + 1;
  }
}

const htmlOnly = rule('html-only', 'warning', 'E', ['raw'], (ctx) => {
  const html = bodyLeaves(ctx, 'text/html');
  if (html.length === 0 || bodyLeaves(ctx, 'text/plain').length > 0) return;
  ctx.report(
    htmlOnly,
    'The message has HTML but no text/plain alternative, which spam filters score (MIME_HTML_ONLY). Add a plain-text rendering and send both as multipart/alternative (text first).',
    { part: html[0]!.path },
  );
});

/** Charsets in which "<" can only be the octet 0x3C (as decodeCharset reads them). */
const LT_IS_3C = new Set(['us-ascii', 'ascii', 'utf-8', 'utf8']);

const htmlWithoutMime = rule('html-without-mime', 'error', 'E', ['raw'], (ctx) => {
  for (const part of bodyLeaves(ctx, 'text/plain')) {
    // No "<" octet, no tag: the text need not be decoded to know.
    const charset = (part.contentType?.params.get('charset') ?? 'us-ascii').trim().toLowerCase();
    if (LT_IS_3C.has(charset) && decodedBody(ctx.msg, part).indexOf(0x3c) === -1) continue;
    if (looksLikeHtml(text(ctx, part))) {
      ctx.report(
        htmlWithoutMime,
        `HTML markup in a body ${part.contentType ? 'declared text/plain' : 'without Content-Type (text/plain by default)'}; recipients see raw tags. Declare "Content-Type: text/html; charset=utf-8" with MIME-Version and add a text/plain alternative.`,
        { part: part.path },
      );
    }
  }
});

function children(part: MimePart) {
  return part.children;
}

const alternativeStructure = rule('alternative-structure', 'warning', 'E', ['raw'], (ctx) => {
  for (const alt of ctx.msg.parts.filter((p) => p.mediaType === 'multipart/alternative')) {
    const kids = children(alt);
    const loc = { part: alt.path };
    if (kids.length === 1) {
      ctx.report(
        alternativeStructure,
        'multipart/alternative has only one part; send that part alone or add the missing alternative.',
        loc,
      );
    }
    const types = kids.map((k) => k.mediaType);
    const plain = types.indexOf('text/plain');
    const html = types.findIndex((t) => t === 'text/html' || t === 'multipart/related');
    if (plain !== -1 && html !== -1 && html < plain) {
      ctx.report(
        alternativeStructure,
        'text/html comes before text/plain; the last alternative is the preferred one (RFC 2046 §5.1.4). Put text/plain first.',
        loc,
      );
    }
    const odd = kids.filter(
      (k) =>
        !k.mediaType.startsWith('text/') &&
        k.mediaType !== 'multipart/related' &&
        k.mediaType !== 'multipart/mixed',
    );
    if (odd.length > 0) {
      ctx.report(
        alternativeStructure,
        `multipart/alternative contains ${odd.map((k) => k.mediaType).join(', ')}; attachments belong in multipart/mixed around the alternative.`,
        loc,
      );
    }
  }
});

const HTML_NOTICE =
  /(does not|doesn't|cannot|can't) (support|display) html|html[- ]capable|view (this|it) in (a|your) (web )?browser/i;
const URL_HOST = /https?:\/\/([^/\s"'<>?#]+)/gi;

/** Lower-case hosts of the http(s) URLs in a text (one regex pass, no array of matches). */
function hosts(s: string): Set<string> {
  const out = new Set<string>();
  URL_HOST.lastIndex = 0;
  for (let m = URL_HOST.exec(s); m; m = URL_HOST.exec(s)) out.add(m[1]!.toLowerCase());
  return out;
}

const partsDiffer = rule('alternative-parts-differ', 'warning', 'E', ['raw'], (ctx) => {
  for (const alt of ctx.msg.parts.filter((p) => p.mediaType === 'multipart/alternative')) {
    const plain = alt.children.find((k) => k.mediaType === 'text/plain');
    const htmlPart =
      alt.children.find((k) => k.mediaType === 'text/html') ??
      alt.children
        .find((k) => k.mediaType === 'multipart/related')
        ?.children.find((k) => k.mediaType === 'text/html');
    if (!plain || !htmlPart) continue;
    const t = text(ctx, plain);
    const htmlSrc = text(ctx, htmlPart);
    const h = htmlToPlain(htmlSrc);
    // Length first: the notice regex over a long text part costs more than the rest of the test.
    if (t.length < 400 && HTML_NOTICE.test(t)) {
      ctx.report(
        partsDiffer,
        'The text/plain part is only a "your client does not support HTML" notice. Put the real message text in it (MPART_ALT_DIFF).',
        { part: plain.path },
      );
      continue;
    }
    const a = wordSet(t);
    const b = wordSet(h);
    const small = Math.min(a.size, b.size);
    let common = 0;
    for (const w of a) if (b.has(w)) common++;
    if (small >= 3 && common / small < 0.5) {
      ctx.report(
        partsDiffer,
        `The text and HTML alternatives share only ${common} of ${small} words; they should carry the same content (MPART_ALT_DIFF). Generate the text part from the HTML.`,
        { part: alt.path },
      );
      continue;
    }
    const th = hosts(t);
    const missing = [...hosts(htmlSrc)].filter((x) => !th.has(x));
    if (missing.length > 0) {
      ctx.report(
        partsDiffer,
        `The HTML links to ${missing.slice(0, 3).join(', ')}, which the text part does not mention; keep the link sets equal.`,
        { part: alt.path },
      );
    }
  }
});

const htmlInSubject = rule('html-in-subject', 'warning', 'E', ['raw'], (ctx) => {
  const s = ctx.subject();
  if (!s) return;
  // `[^<>]*`, not `[^>]*`: from every `<a` of `<a <a <a …` that rescanned to the end.
  if (/<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>|&(?:#\d+|#x[0-9a-f]+|[a-z]{2,8});/i.test(s.text)) {
    ctx.report(
      htmlInSubject,
      'Subject contains HTML tags or entities; it is plain text. Strip the tags and decode entities before encoding the subject.',
      ctx.loc(s.field),
    );
  }
});

const emptyBody = rule('empty-body', 'warning', 'E', ['raw'], (ctx) => {
  const leaves = ctx.leaves();
  if (leaves.some((p) => !p.mediaType.startsWith('text/') || isAttachment(ctx, p))) return;
  for (const p of leaves) {
    const t = text(ctx, p);
    if ((p.mediaType === 'text/html' ? htmlToPlain(t) : t).trim() !== '') return;
  }
  ctx.report(
    emptyBody,
    'The message has no text and no attachment; empty mail is scored as spam. Add the content (or do not send it).',
    { part: '' },
  );
});

const missingDisposition = rule(
  'attachment-missing-disposition',
  'warning',
  'E',
  ['raw'],
  (ctx) => {
    const byPath = new Map(ctx.msg.parts.map((p) => [p.path, p]));
    for (const part of ctx.leaves()) {
      const t = part.mediaType;
      if (t.startsWith('text/') || t.startsWith('message/') || hdr(part, 'content-disposition'))
        continue;
      const parent = byPath.get(
        part.path.includes('.') ? part.path.slice(0, part.path.lastIndexOf('.')) : '',
      );
      if (
        t.startsWith('image/') &&
        hdr(part, 'content-id') &&
        parent?.mediaType === 'multipart/related'
      )
        continue;
      ctx.report(
        missingDisposition,
        `${t} has no Content-Disposition; add "Content-Disposition: attachment; filename=…" (or inline with a Content-ID for embedded images) (RFC 2183).`,
        { part: part.path },
      );
    }
  },
);

const EXEC =
  /\.(exe|scr|bat|cmd|com|pif|vbs|vbe|js|jse|wsf|wsh|hta|msi|msp|jar|ps1|lnk|reg|cpl|iso|img)$/i;
const RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$/i;

const filenameUnsafe = rule('attachment-filename-unsafe', 'error', 'E', ['raw'], (ctx) => {
  for (const part of ctx.msg.parts) {
    for (const key of ['content-disposition', 'content-type']) {
      const h = hdr(part, key);
      if (!h) continue;
      // Content-Disposition parameters parse like Content-Type ones.
      const parsed = key === 'content-type' ? part.contentType : parseParams(ctx.raw(h));
      if (!parsed) continue;
      const pname = key === 'content-type' ? 'name' : 'filename';
      const raws = parsed.raw.filter((r) => r.name === pname || r.name.startsWith(`${pname}*`));
      for (const r of raws) {
        if (!r.name.includes('*') && has8bitString(r.value)) {
          ctx.report(
            filenameUnsafe,
            `${pname} has raw 8-bit octets; encode it with RFC 2231 (${pname}*=UTF-8''…).`,
            ctx.loc(h, part),
          );
        }
        if (/[\r\n\t\x00-\x1f\x7f]/.test(r.value)) {
          ctx.report(
            filenameUnsafe,
            `${pname} contains a control character (CR, LF, TAB or DEL); reject or encode the file name.`,
            ctx.loc(h, part),
          );
        }
        if (r.junk !== '') {
          ctx.report(
            filenameUnsafe,
            `Text follows the quoted ${pname} ("…${r.junk.slice(0, 20)}"): an unescaped " or \\ in the name. Escape it or use RFC 2231.`,
            ctx.loc(h, part),
          );
        }
      }
      const name = parsed.params.get(pname);
      if (name === undefined) continue;
      // An RFC 2231 value is judged decoded, as a Subject's encoded-words are (repair refuses it too).
      const cp = raws.some((r) => r.name.includes('*')) ? findUnsafeCodePoint(name) : -1;
      if (cp !== -1) {
        ctx.report(
          filenameUnsafe,
          `${pname}* decodes to ${formatCodePoint(cp)}, a line break or control character (RFC 2231): a decoder may split the header there. Reject the file name.`,
          ctx.loc(h, part),
        );
      }
      const problems: string[] = [];
      if (/[/\\]|^\.\.|^[A-Za-z]:/.test(name)) problems.push('path components');
      const c = confusable(name);
      if (c) problems.push(c);
      if (/\.[a-z0-9]{2,4}\.[a-z0-9]{2,4}$/i.test(name) && EXEC.test(name))
        problems.push('a double extension');
      else if (EXEC.test(name)) problems.push('an executable extension');
      if (RESERVED.test(name.trim())) problems.push('a Windows reserved name');
      if (problems.length > 0) {
        ctx.report(
          filenameUnsafe,
          `File name "${name}" has ${problems.join(', ')}; receivers block or mis-save it. Use a plain base name.`,
          ctx.loc(h, part),
          'warning',
        );
      }
    }
  }
});

const formatFlowed = rule('format-flowed-invalid', 'info', 'E', ['raw'], (ctx) => {
  for (const part of bodyLeaves(ctx, 'text/plain')) {
    const body = decodedBody(ctx.msg, part);
    if (body.length > 1_000_000) continue;
    const lines = ctx.bodyText(part).text.split(/\r?\n/);
    const flowed = part.contentType?.params.get('format')?.toLowerCase() === 'flowed';
    if (flowed) {
      const problems: string[] = [];
      if (lines.some((l) => l.startsWith('From ')))
        problems.push('a line starting with "From " is not space-stuffed');
      if (lines.some((l) => l.length > 78)) problems.push('lines exceed 78 characters');
      const delsp = part.contentType?.params.get('delsp')?.toLowerCase() === 'yes';
      if (delsp && !ctx.facts(part).decoded8bit)
        problems.push('DelSp=yes is used for non-CJK text');
      if (problems.length > 0) {
        ctx.report(formatFlowed, `format=flowed text: ${problems.join('; ')} (RFC 3676 §4).`, {
          part: part.path,
        });
      }
    } else if (lines.length >= 5) {
      const trailing = lines.filter((l) => / $/.test(l)).length;
      if (trailing / lines.length > 0.3) {
        ctx.report(
          formatFlowed,
          `${trailing} of ${lines.length} lines end in spaces, which relays may strip; trim them or declare format=flowed.`,
          { part: part.path },
        );
      }
    }
  }
});

export const contentRules: Rule[] = [
  htmlOnly,
  htmlWithoutMime,
  alternativeStructure,
  partsDiffer,
  htmlInSubject,
  emptyBody,
  missingDisposition,
  filenameUnsafe,
  formatFlowed,
];
