/** B. Required and singleton header fields. */

import { checkDate } from '../../read/index.js';
import { isCfws, skipCfws } from '../../wire/index.js';
import { domainOf, type Rule, rule } from '../context.js';

const missingFrom = rule('missing-from', 'error', 'B', ['raw'], (ctx) => {
  const from = ctx.headers('from');
  if (from.length === 0) {
    ctx.report(
      missingFrom,
      'No From field. Every message needs exactly one From (RFC 5322 §3.6); Gmail rejects mail without it.',
      { part: '', area: 'header' },
    );
  } else if (from.every((f) => ctx.value(f) === '')) {
    ctx.report(
      missingFrom,
      'The From field is empty. Put the author mailbox in it (RFC 5322 §3.6.2).',
      ctx.loc(from[0]!),
    );
  }
});

const missingDate = rule('missing-date', 'error', 'B', ['raw'], (ctx) => {
  if (ctx.headers('date').length === 0) {
    ctx.report(
      missingDate,
      'No Date field. Add "Date:" with the submission time and a numeric zone (RFC 5322 §3.6.1); do not rely on the relay to add it.',
      { part: '', area: 'header' },
    );
  }
});

const invalidDate = rule('invalid-date', 'error', 'B', ['raw'], (ctx) => {
  const f = ctx.first('date');
  if (!f) return;
  const { problems } = checkDate(ctx.value(f));
  if (problems.length > 0) {
    ctx.report(
      invalidDate,
      `Date "${ctx.value(f)}" ${problems.join('; ')}. Write it as RFC 5322 date-time, e.g. "Sun, 29 Nov 2026 13:40:00 +0000".`,
      ctx.loc(f),
    );
  }
});

const HOUR = 3_600_000;
const dateSkew = rule('date-skew', 'warning', 'B', ['raw'], (ctx) => {
  const f = ctx.first('date');
  if (!f) return;
  const { date } = checkDate(ctx.value(f));
  if (!date || Number.isNaN(date.getTime())) return;
  const diff = date.getTime() - ctx.now.getTime();
  if (diff > 2 * HOUR) {
    ctx.report(
      dateSkew,
      `Date is ${Math.round(diff / HOUR)} h in the future. Check the server clock and that the zone matches the local time written.`,
      ctx.loc(f),
    );
  } else if (diff < -24 * HOUR) {
    ctx.report(
      dateSkew,
      `Date is ${Math.round(-diff / HOUR)} h in the past. Set Date to the submission time (a stale template or wrong clock).`,
      ctx.loc(f),
    );
  }
});

const missingMessageId = rule('missing-message-id', 'warning', 'B', ['raw'], (ctx) => {
  if (ctx.headers('message-id').length === 0) {
    ctx.report(
      missingMessageId,
      'No Message-ID field. Add "<unique@your-domain>" (RFC 5322 §3.6.4); its absence is scored as spam.',
      { part: '', area: 'header' },
    );
  }
});

const invalidMessageId = rule('invalid-message-id', 'error', 'B', ['raw'], (ctx) => {
  for (const h of ctx.msg.root.headers) {
    if (/^message_?id$/i.test(h.name) || h.key === 'message-id:') {
      ctx.report(
        invalidMessageId,
        `Field name "${h.name}" is a misspelling; write "Message-ID".`,
        ctx.loc(h),
        'warning',
      );
    }
  }
  const f = ctx.first('message-id');
  if (!f) return;
  const v = trimCfws(ctx.value(f));
  const m = /^<([^<>@\s]+)@([^<>@\s]+)>$/.exec(v);
  if (!m || /[^\x21-\x7e]/.test(v)) {
    ctx.report(
      invalidMessageId,
      `Message-ID "${v}" is not "<id-left@id-right>" without spaces or controls. Generate "<random@your-domain>" (RFC 5322 §3.6.4).`,
      ctx.loc(f),
    );
    return;
  }
  const [, left = '', right = ''] = m;
  const host = right.toLowerCase();
  if (
    host === 'localhost' ||
    host.endsWith('.localdomain') ||
    !host.includes('.') ||
    /^\[?[\d.]+\]?$/.test(host) ||
    host.startsWith('[')
  ) {
    ctx.report(
      invalidMessageId,
      `Message-ID right side "${right}" is not a domain you own (localhost, bare host or IP). Use your sending domain.`,
      ctx.loc(f),
      'warning',
    );
  }
  if (left.length < 6) {
    ctx.report(
      invalidMessageId,
      `Message-ID left side "${left}" is very short; use at least 16 random characters so it is unique.`,
      ctx.loc(f),
      'warning',
    );
  }
  const froms = ctx.mailboxes('from').map((mb) => mb.address.toLowerCase());
  if (froms.some((a) => a !== '' && v.toLowerCase().includes(a))) {
    ctx.report(
      invalidMessageId,
      'Message-ID contains the From address; use a random id-left (ratware fingerprint, leaks the address).',
      ctx.loc(f),
      'warning',
    );
  }
});

/** Fields that occur at most once in a message (RFC 5322 §3.6). Shared with repair's refusals. */
export const SINGLETONS = [
  'date',
  'from',
  'sender',
  'reply-to',
  'to',
  'cc',
  'bcc',
  'message-id',
  'in-reply-to',
  'references',
  'subject',
];
/** Fields that occur at most once per MIME entity (RFC 2045). */
export const ENTITY_SINGLETONS = ['mime-version', 'content-type', 'content-transfer-encoding'];

const duplicateSingleton = rule('duplicate-singleton-header', 'error', 'B', ['raw'], (ctx) => {
  for (const part of ctx.msg.parts) {
    const names = part.path === '' ? [...SINGLETONS, ...ENTITY_SINGLETONS] : ENTITY_SINGLETONS;
    for (const name of names) {
      const fields = part.headers.filter((h) => h.key === name);
      if (fields.length > 1) {
        ctx.report(
          duplicateSingleton,
          `${fields[0]!.name} occurs ${fields.length} times (lines ${fields.map((x) => x.line).join(', ')}); it may occur once. Gmail and Yahoo reject such mail. Keep one field; if they differ, this may be an injection.`,
          { part: part.path, header: fields[0]!.name, line: fields[1]!.line },
        );
      }
    }
  }
});

const multipleFrom = rule('multiple-from-without-sender', 'error', 'B', ['raw'], (ctx) => {
  const from = ctx.mailboxes('from');
  if (from.length < 2) return;
  const sender = ctx.mailboxes('sender');
  if (sender.length !== 1) {
    ctx.report(
      multipleFrom,
      `From holds ${from.length} mailboxes and there is no single-mailbox Sender (RFC 5322 §3.6.2). Use one From mailbox; put others in Reply-To or Cc.`,
      ctx.loc(ctx.first('from')!),
    );
  }
});

const missingTo = rule('missing-to', 'warning', 'B', ['raw'], (ctx) => {
  const to = ctx.headers('to');
  if (to.length === 0 && ctx.headers('apparently-to').length === 0) {
    ctx.report(
      missingTo,
      'No To field. It is legal but scored as spam; address the primary recipient in To (Bcc-only mail: put the sender or a group "Undisclosed recipients" there).',
      { part: '', area: 'header' },
    );
    return;
  }
  for (const f of to) {
    const r = ctx.addresses(f);
    if (r.mailboxes.length === 0 && r.groups.length > 0) {
      ctx.report(
        missingTo,
        `To is only the empty group "${r.groups[0]}:;". Receivers score undisclosed-recipient mail; address a real recipient in To.`,
        ctx.loc(f),
      );
    }
  }
});

const missingSubject = rule('missing-or-empty-subject', 'warning', 'B', ['raw'], (ctx) => {
  const s = ctx.subject();
  if (!s)
    ctx.report(
      missingSubject,
      'No Subject field. Add a short descriptive subject; missing subjects are scored as spam.',
      { part: '', area: 'header' },
    );
  else if (s.text.trim() === '')
    ctx.report(
      missingSubject,
      'Subject is empty. Write a short descriptive subject.',
      ctx.loc(s.field),
    );
});

const bccLeak = rule('bcc-header-leak', 'warning', 'B', ['raw', 'env'], (ctx) => {
  // Resent-Bcc hides the recipients of a resend the same way (RFC 5322 §3.6.6).
  for (const f of [...ctx.headers('bcc'), ...ctx.headers('resent-bcc')]) {
    if (ctx.addresses(f).mailboxes.length === 0) continue;
    ctx.report(
      bccLeak,
      `The message carries a ${f.name} field with addresses; every recipient will see them unless the submitter strips it (only "sendmail -t" does). Move the addresses into the envelope (RCPT TO) and delete the field.`,
      ctx.loc(f),
    );
  }
});

const returnPath = rule('return-path-header-present', 'warning', 'B', ['raw'], (ctx) => {
  const f = ctx.first('return-path');
  if (!f) return;
  const addr = ctx.value(f).replace(/^<|>$/g, '');
  ctx.report(
    returnPath,
    `The message already has a Return-Path field; it does not set the envelope sender (the receiving server writes it, RFC 5321 §4.4). Pass the bounce address as the envelope sender instead (sendmail -f ${addr && domainOf(addr) ? addr : 'bounce@your-domain'}) and remove the field.`,
    ctx.loc(f),
  );
});

export const requiredHeaderRules: Rule[] = [
  missingFrom,
  missingDate,
  invalidDate,
  dateSkew,
  missingMessageId,
  invalidMessageId,
  duplicateSingleton,
  multipleFrom,
  missingTo,
  missingSubject,
  bccLeak,
  returnPath,
];

/**
 * `value` without the CFWS around it (RFC 5322 §3.6.4: `[CFWS] "<" … ">" [CFWS]`),
 * by one scan: `/\s*\([^)]*\)\s*$/` was quadratic on a run of open comments.
 */
function trimCfws(value: string): string {
  const start = skipCfws(value, 0);
  const gt = value.indexOf('>', start);
  if (gt === -1) return value.slice(start).trim();
  return isCfws(value, gt + 1) ? value.slice(start, gt + 1) : value.slice(start);
}
