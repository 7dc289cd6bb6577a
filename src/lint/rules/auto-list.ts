/** F. Automatic, bulk and list mail. */
import { commentEnd } from '../../wire/index.js';
import { type LintContext, type Rule, rule } from '../context.js';

const ROBOT_LOCAL =
  /^(no-?reply|do-?not-?reply|donotreply|noreply|mailer-daemon|bounces?|notifications?|notify|alerts?|cron|root|daemon|wwwrun|www-data|apache|nginx|nobody|system|automailer|robot)([+.-]|$)/i;
const AUTO_SUBJECT =
  /\b(password reset|reset your password|order confirmation|booking confirmation|reservation confirmation|confirm your (e-?mail|account|subscription)|your order|cron <|auftragsbestätigung|buchungsbestätigung|bestellbestätigung|passwort zurücksetzen)\b/i;
const AUTO_REPLY_SUBJECT =
  /^(auto(matic)? ?(reply|response)|out of (the )?office|abwesenheit|vacation|autoreply|automatische antwort)\b/i;

function isAutoReply(ctx: LintContext): boolean {
  const s = ctx.subject()?.text ?? '';
  return ctx.autoSubmitted() === 'auto-replied' || AUTO_REPLY_SUBJECT.test(s.trim());
}

const autoSubmittedMissing = rule('auto-submitted-missing', 'warning', 'F', ['raw'], (ctx) => {
  if (ctx.first('auto-submitted')) return;
  const from = ctx.mailboxes('from')[0];
  const subject = ctx.subject()?.text ?? '';
  const replyish = AUTO_REPLY_SUBJECT.test(subject.trim());
  const robot =
    (from && ROBOT_LOCAL.test(from.local)) ||
    AUTO_SUBJECT.test(subject) ||
    replyish ||
    ctx.first('x-cron-env');
  if (!robot) return;
  ctx.report(
    autoSubmittedMissing,
    `This looks machine-generated (${from && ROBOT_LOCAL.test(from.local) ? `sender ${from.address}` : `subject "${subject.slice(0, 40)}"`}) but has no Auto-Submitted field. Add "Auto-Submitted: ${replyish ? 'auto-replied' : 'auto-generated'}" (RFC 3834 §5) so autoresponders do not reply.`,
    { part: '', area: 'header' },
  );
});

const loopRisk = rule('autoreply-loop-risk', 'warning', 'F', ['raw', 'env'], (ctx) => {
  if (!isAutoReply(ctx)) return;
  const env = ctx.envelope;
  if (env && env.from !== '') {
    ctx.report(
      loopRisk,
      `An auto-reply is sent with envelope sender ${env.from}; use the null sender <> so a bounce or another autoresponder cannot loop (RFC 3834 §3.3, RFC 5321 §4.5.5).`,
      { part: '', area: 'envelope' },
    );
  }
  const prec = ctx.first('precedence');
  if (prec && /^(bulk|list|junk)$/i.test(ctx.value(prec))) {
    ctx.report(
      loopRisk,
      `An auto-reply carries "Precedence: ${ctx.value(prec)}" copied from a list/bulk message; never auto-reply to such mail (RFC 3834 §2).`,
      ctx.loc(prec),
    );
  }
  const rp = ctx.first('return-path');
  if (rp && ctx.value(rp).replace(/[<>\s]/g, '') !== '') {
    ctx.report(
      loopRisk,
      'An auto-reply has a non-null Return-Path; send auto-replies with the null envelope sender <> (RFC 3834 §3.3).',
      ctx.loc(rp),
    );
  }
});

/**
 * `value` without the comments between its `<URI>`s: a `(` inside `<…>` is
 * part of the URI (RFC 2369 §2). One scan, as `\([^)]*\)` was quadratic.
 */
function stripListComments(value: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < value.length; ) {
    if (value[i] === '<') {
      const gt = value.indexOf('>', i);
      if (gt === -1) break; // unterminated: the rest is one (broken) URI
      i = gt + 1;
    } else if (value[i] === '(') {
      out += value.slice(from, i);
      i = from = commentEnd(value, i);
      if (i === -1) return out;
    } else i++;
  }
  return out + value.slice(from);
}

function unsubscribeUris(value: string): { uris: string[]; problems: string[] } {
  const problems: string[] = [];
  const uris: string[] = [];
  const noComments = stripListComments(value);
  for (const item of noComments.split(',')) {
    const t = item.trim();
    if (t === '') {
      problems.push('an empty list element');
      continue;
    }
    const m = /^<([^<>]*)>$/.exec(t);
    if (!m) {
      problems.push(
        t.startsWith('<') && !t.includes('>')
          ? 'an unterminated "<"'
          : `"${t.slice(0, 40)}" is not enclosed in <…>`,
      );
      continue;
    }
    const uri = m[1]!.trim();
    if (/^mailto:/i.test(uri) && !/^mailto:[^@?]+@[^@?]+/i.test(uri))
      problems.push(`"${uri}" has no local part or domain`);
    else if (!/^(mailto|https?):/i.test(uri))
      problems.push(`"${uri}" is not a mailto: or http(s): URI`);
    uris.push(uri);
  }
  return { uris, problems };
}

const listUnsubscribe = rule('list-unsubscribe', 'warning', 'F', ['raw'], (ctx) => {
  const f = ctx.first('list-unsubscribe');
  if (!f) {
    const prec = ctx.first('precedence');
    const bulk = ctx.first('list-id') || (prec && /^(bulk|list)$/i.test(ctx.value(prec)));
    const count =
      ctx.mailboxes('to').length + ctx.mailboxes('cc').length + (ctx.envelope?.to.length ?? 0);
    if (bulk || count > 50) {
      ctx.report(
        listUnsubscribe,
        'Bulk or list mail without List-Unsubscribe. Add "List-Unsubscribe: <https://…>, <mailto:…>" plus List-Unsubscribe-Post for one-click (RFC 2369, RFC 8058; required by Gmail and Yahoo).',
        { part: '', area: 'header' },
      );
    }
    return;
  }
  const { problems } = unsubscribeUris(ctx.value(f));
  if (problems.length > 0) {
    ctx.report(
      listUnsubscribe,
      `List-Unsubscribe is malformed: ${problems.join('; ')}. Write a comma-separated list of <URI>s (RFC 2369 §2).`,
      ctx.loc(f),
      'error',
    );
  }
});

const oneClick = rule('one-click-unsubscribe-invalid', 'error', 'F', ['raw'], (ctx) => {
  const post = ctx.first('list-unsubscribe-post');
  if (!post) return;
  if (ctx.value(post) !== 'List-Unsubscribe=One-Click') {
    ctx.report(
      oneClick,
      `List-Unsubscribe-Post is "${ctx.value(post)}"; it must be exactly "List-Unsubscribe=One-Click" (RFC 8058 §3.1).`,
      ctx.loc(post),
    );
  }
  const lu = ctx.first('list-unsubscribe');
  const https = lu ? unsubscribeUris(ctx.value(lu)).uris.filter((u) => /^https:/i.test(u)) : [];
  if (https.length !== 1) {
    ctx.report(
      oneClick,
      `One-click unsubscribe needs exactly one https: URI in List-Unsubscribe; found ${https.length} (RFC 8058 §3.1).`,
      lu ? ctx.loc(lu) : ctx.loc(post),
    );
  }
  for (const sig of ctx.headers('dkim-signature')) {
    const h =
      /(?:^|;)\s*h\s*=\s*([^;]+)/
        .exec(ctx.value(sig).replace(/\s+/g, ''))?.[1]
        ?.toLowerCase()
        .split(':') ?? [];
    if (!h.includes('list-unsubscribe') || !h.includes('list-unsubscribe-post')) {
      ctx.report(
        oneClick,
        'The DKIM signature does not cover List-Unsubscribe and List-Unsubscribe-Post (RFC 8058 §4); add both to h=.',
        ctx.loc(sig),
      );
    }
  }
});

export const autoListRules: Rule[] = [autoSubmittedMissing, loopRisk, listUnsubscribe, oneClick];
