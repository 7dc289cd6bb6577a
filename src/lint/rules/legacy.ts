/** H. Legacy-application fingerprints and content style. */
import { type Rule, rule } from '../context.js';

const phpFingerprint = rule('php-mail-fingerprint', 'info', 'H', ['raw'], (ctx) => {
  for (const h of ctx.msg.root.headers) {
    if (h.key === 'x-php-originating-script' || h.key === 'x-php-script') {
      ctx.report(
        phpFingerprint,
        `${h.name} leaks the script path and UID and is a spam fingerprint. Set "mail.add_x_header = Off" in php.ini and remove the field.`,
        ctx.loc(h),
      );
    } else if (h.key === 'x-mailer' && /^PHP(\/[\d.]+)?\s*$/i.test(ctx.value(h))) {
      ctx.report(
        phpFingerprint,
        `X-Mailer "${ctx.value(h)}" marks bare PHP mail() output (PHP_NOVER_MUA); remove it.`,
        ctx.loc(h),
      );
    }
  }
});

const TEMPLATE =
  /%[A-Z][A-Z_]{2,}%|%RND|%RANDOM|\{\{\s*[\w.$-]+\s*\}\}|\{\$[A-Za-z_]\w*\}|\[\[[A-Z_]{2,}\]\]|##[A-Z_]{2,}##/;
const TEMPLATE_SKIP = new Set(['dkim-signature', 'received', 'arc-seal', 'arc-message-signature']);

const unresolvedTemplate = rule('unresolved-template', 'warning', 'H', ['raw'], (ctx) => {
  for (const h of ctx.msg.root.headers) {
    if (TEMPLATE_SKIP.has(h.key)) continue;
    const m = TEMPLATE.exec(ctx.decodedValue(h));
    if (m)
      ctx.report(
        unresolvedTemplate,
        `Placeholder "${m[0]}" was not filled in; fix the mail-merge before sending.`,
        ctx.loc(h),
      );
  }
  for (const part of ctx.leaves()) {
    if (!part.mediaType.startsWith('text/')) continue;
    if (part.bodyEnd - part.bodyStart > 4_000_000) continue;
    const m = TEMPLATE.exec(ctx.bodyText(part).text);
    if (m)
      ctx.report(
        unresolvedTemplate,
        `Placeholder "${m[0]}" in the body was not filled in; fix the mail-merge before sending.`,
        { part: part.path, area: 'body' },
      );
  }
});

const subjectStyle = rule('subject-style', 'info', 'H', ['raw'], (ctx) => {
  const s = ctx.subject();
  if (!s) return;
  const t = s.text;
  const letters = t.replace(/[^\p{L}]/gu, '');
  const problems: string[] = [];
  if (
    letters.length >= 10 &&
    letters === letters.toUpperCase() &&
    letters !== letters.toLowerCase()
  )
    problems.push('it is all capitals');
  if ([...t].length > 200)
    problems.push(`it is ${[...t].length} characters long (keep it under 200)`);
  if (/https?:\/\/|www\.[a-z0-9-]+\.[a-z]/i.test(t)) problems.push('it contains a URL');
  if (/\s$/.test(t)) problems.push('it ends with spaces');
  if (/[$€£¥₽]/u.test(t)) problems.push('it contains currency symbols');
  if (problems.length > 0)
    ctx.report(
      subjectStyle,
      `Subject style: ${problems.join('; ')}. Spam filters score these.`,
      ctx.loc(s.field),
    );
});

const RECIPIENT_LIMIT = 50;
const recipientCount = rule('recipient-count-high', 'warning', 'H', ['raw', 'env'], (ctx) => {
  const headerRcpts = [...ctx.mailboxes('to'), ...ctx.mailboxes('cc'), ...ctx.mailboxes('bcc')];
  if (headerRcpts.length > RECIPIENT_LIMIT) {
    ctx.report(
      recipientCount,
      `${headerRcpts.length} recipients in To/Cc/Bcc (more than ${RECIPIENT_LIMIT}). A form injection or a mass mail: send one message per recipient or use a list manager.`,
      ctx.loc(ctx.first('to') ?? ctx.first('cc') ?? ctx.first('bcc')!),
    );
  }
  const env = ctx.envelope;
  if (env && env.to.length > RECIPIENT_LIMIT) {
    ctx.report(
      recipientCount,
      `${env.to.length} envelope recipients; servers need accept only 100 per transaction (RFC 5321 §4.5.3.1.8). Split the delivery.`,
      { part: '', area: 'envelope' },
    );
  }
  if (headerRcpts.some((m) => /^recipients?$/i.test(m.displayName.trim()))) {
    ctx.report(
      recipientCount,
      'A recipient is named "Recipients" (TO_DN_RECIPIENTS); use real names or none.',
      ctx.loc(ctx.first('to') ?? ctx.first('cc')!),
    );
  }
  if (headerRcpts.length >= 10) {
    const addrs = headerRcpts.map((m) => m.address.toLowerCase());
    if (addrs.every((a, i) => i === 0 || addrs[i - 1]! <= a)) {
      ctx.report(
        recipientCount,
        `${addrs.length} recipients listed in alphabetical order (SORTED_RECIPS), a mass-mail pattern; send individual messages.`,
        ctx.loc(ctx.first('to') ?? ctx.first('cc')!),
      );
    }
  }
});

const mdnMalformed = rule('mdn-request-malformed', 'info', 'H', ['raw'], (ctx) => {
  const from = ctx.mailboxes('from').map((m) => m.address.toLowerCase());
  const rp = ctx.first('return-path');
  const rpAddr = rp
    ? ctx
        .value(rp)
        .replace(/[<>\s]/g, '')
        .toLowerCase()
    : '';
  for (const name of ['disposition-notification-to', 'x-confirm-reading-to', 'return-receipt-to']) {
    for (const f of ctx.headers(name)) {
      const list = ctx.addresses(f).mailboxes.map((m) => m.address.toLowerCase());
      if (list.length === 0 || list.every((a) => a === '' || a === '@')) {
        ctx.report(
          mdnMalformed,
          `${f.name} is empty or "<>"; give the address that should receive read receipts, or remove the field (RFC 8098 §2.1).`,
          ctx.loc(f),
        );
      } else if (list.some((a) => !from.includes(a) && a !== rpAddr)) {
        ctx.report(
          mdnMalformed,
          `${f.name} asks for receipts to ${list.join(', ')}, which is neither From nor Return-Path (HEADER_FORGED_MDN). Send receipts to the author.`,
          ctx.loc(f),
        );
      }
    }
  }
});

export const legacyRules: Rule[] = [
  phpFingerprint,
  unresolvedTemplate,
  subjectStyle,
  recipientCount,
  mdnMalformed,
];
