/** D. Addresses, including the `[env]` envelope checks. */
import { domainToUnicode } from 'node:url';
import type { AddressProblem, HeaderField, LintMailbox } from '../../read/index.js';
import { has8bitString } from '../../read/index.js';
import { organizationalDomain, sameOrganizationalDomain } from '../../wire/index.js';
import { domainOf, type LintContext, type Rule, rule } from '../context.js';
import type { FindingLocation } from '../findings.js';

/** What each problem means, for findings and repair's refusals. */
export const PROBLEM_TEXT: Record<AddressProblem, string> = {
  'unbalanced-angle': 'the angle brackets are unbalanced',
  'whitespace-in-angle': 'there is whitespace inside <…>',
  'whitespace-in-address': 'the address contains whitespace',
  'missing-local-part': 'the local part is missing',
  'missing-domain': 'the domain is missing',
  'no-address': 'a name has no address',
  'blank-display-name': 'the display name is an empty ""',
  'obs-route': 'it uses obsolete route syntax (@host:)',
  'unquoted-specials': 'the display name has unquoted specials',
  'junk-after-address': 'there is text after the closing >',
  'trailing-comma': 'the list ends with a comma',
  'empty-element': 'the list has an empty element (",,")',
  'unterminated-quote': 'a quoted string is not closed',
  'invalid-local-part': 'the local part has characters that need quoting',
  'invalid-domain': 'the domain has invalid characters',
  'semicolon-separator':
    'a ";" separates addresses (only "," does; readers drop or merge what follows)',
  'invalid-group-name':
    'the text before ":" is not a group name (an address followed by ":" reads as a group)',
  'unterminated-group': 'a group is not closed with ";"',
  'nested-group': 'a group is opened inside another group',
};

function problemsOf(ctx: LintContext, f: HeaderField): AddressProblem[] {
  const r = ctx.addresses(f);
  const all = [...r.problems, ...r.mailboxes.flatMap((m) => m.problems)];
  return [...new Set(all)].filter((p) => p !== 'unquoted-specials');
}

/** The originator fields (RFC 5322 §3.6.2): From, and Sender, which must be one mailbox. */
const fromInvalid = rule('from-invalid', 'error', 'D', ['raw'], (ctx) => {
  for (const f of [...ctx.headers('from'), ...ctx.headers('sender')]) {
    if (f.key === 'from' && ctx.value(f) === '') continue; // missing-from reports it
    const probs = problemsOf(ctx, f);
    if (ctx.addresses(f).mailboxes.length === 0 && probs.length === 0) probs.push('no-address');
    const texts = probs.map((p) => PROBLEM_TEXT[p]);
    if (f.key === 'sender' && ctx.addresses(f).mailboxes.length > 1)
      texts.push('Sender holds more than one mailbox');
    if (texts.length > 0) {
      ctx.report(
        fromInvalid,
        `${f.name} "${ctx.value(f).trim()}" is not a valid mailbox: ${texts.join('; ')}. Write it as "Name <local@domain>" (RFC 5322 §3.4, §3.6.2).`,
        ctx.loc(f),
      );
    }
  }
});

const RECIPIENT_FIELDS = ['to', 'cc', 'reply-to', 'bcc'];
const recipientInvalid = rule('recipient-header-invalid', 'error', 'D', ['raw'], (ctx) => {
  for (const name of RECIPIENT_FIELDS) {
    for (const f of ctx.headers(name)) {
      const probs = problemsOf(ctx, f);
      if (probs.length > 0) {
        ctx.report(
          recipientInvalid,
          `${f.name} does not parse as an address list: ${probs.map((p) => PROBLEM_TEXT[p]).join('; ')}. Write "Name <a@b>, c@d" (RFC 5322 §3.4).`,
          ctx.loc(f),
        );
      }
    }
  }
});

const ALL_ADDRESS = ['from', 'sender', 'to', 'cc', 'bcc', 'reply-to'];
function* addressFields(ctx: LintContext): Generator<[HeaderField, LintMailbox]> {
  for (const name of ALL_ADDRESS) {
    for (const f of ctx.headers(name)) for (const mb of ctx.addresses(f).mailboxes) yield [f, mb];
  }
}

const unquotedSpecials = rule('display-name-unquoted-specials', 'error', 'D', ['raw'], (ctx) => {
  for (const [f, mb] of addressFields(ctx)) {
    if (mb.problems.includes('unquoted-specials')) {
      ctx.report(
        unquotedSpecials,
        `Display name ${mb.rawDisplayName} contains specials ( ) < > [ ] : ; @ \\ , . " outside quotes; strict parsers read it differently (e.g. as two mailboxes). Quote it: "${mb.rawDisplayName.replace(/"/g, '').trim()}".`,
        ctx.loc(f),
      );
    }
  }
});

// Starts only where a word starts (the lookbehind): tried at every character
// of a long word, `[^\s@<>"]+@` rescanned the word each time (issue 14).
const EMAILISH = /(?<![^\s@<>"])[^\s@<>"]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/;
const nameContainsAddress = rule(
  'display-name-contains-address',
  'warning',
  'D',
  ['raw'],
  (ctx) => {
    for (const [f, mb] of addressFields(ctx)) {
      if (f.key !== 'from' && f.key !== 'sender' && f.key !== 'reply-to') continue;
      const m = EMAILISH.exec(ctx.decode(mb.displayName));
      if (m && m[1]!.toLowerCase() !== mb.domain.toLowerCase()) {
        ctx.report(
          nameContainsAddress,
          `Display name "${ctx.decode(mb.displayName)}" looks like an address at ${m[1]} but the mail is from ${mb.address} (display-name spoofing). Use a plain name.`,
          ctx.loc(f),
        );
      }
    }
  },
);

function lengthProblem(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at === -1) return undefined;
  const local = Buffer.byteLength(address.slice(0, at));
  const domain = address.slice(at + 1);
  if (local > 64) return `the local part is ${local} octets (max 64)`;
  if (Buffer.byteLength(domain) > 255)
    return `the domain is ${Buffer.byteLength(domain)} octets (max 255)`;
  const label = domain.split('.').find((l) => Buffer.byteLength(l) > 63);
  if (label)
    return `the label "${label.slice(0, 20)}…" is ${Buffer.byteLength(label)} octets (max 63)`;
  if (Buffer.byteLength(address) > 254)
    return `the address is ${Buffer.byteLength(address)} octets (a path is at most 256 with <>)`;
  return undefined;
}

const lengthExceeded = rule('address-length-exceeded', 'error', 'D', ['raw'], (ctx) => {
  for (const [f, mb] of addressFields(ctx)) {
    const p = lengthProblem(mb.address);
    if (p)
      ctx.report(
        lengthExceeded,
        `${mb.address.slice(0, 40)}…: ${p} (RFC 5321 §4.5.3.1). Servers reject it; use a shorter address.`,
        ctx.loc(f),
      );
  }
  const env = ctx.envelope;
  for (const a of env ? [env.from, ...env.to] : []) {
    const p = lengthProblem(a);
    if (p)
      ctx.report(lengthExceeded, `Envelope address ${a.slice(0, 40)}…: ${p} (RFC 5321 §4.5.3.1).`, {
        part: '',
        area: 'envelope',
      });
  }
});

const nonAsciiAddress = rule(
  'non-ascii-address-without-smtputf8',
  'error',
  'D',
  ['raw', 'env'],
  (ctx) => {
    for (const [f, mb] of addressFields(ctx)) {
      if (!/[^\x00-\x7f]/.test(mb.address) && !has8bitString(mb.address)) continue;
      if (ctx.options.smtputf8 && /^[\x00-\x7f]*$/.test(mb.domain)) continue;
      const localAscii = !/[^\x00-\x7f]/.test(mb.local);
      ctx.report(
        nonAsciiAddress,
        localAscii
          ? `The domain of ${mb.address} is not ASCII. Write it as an A-label (xn--…, IDNA2008) unless the whole path supports SMTPUTF8.`
          : `The local part of ${mb.address} is not ASCII; it needs SMTPUTF8 end to end (RFC 6531/6532). Use an ASCII address.`,
        ctx.loc(f),
      );
    }
    const env = ctx.envelope;
    for (const a of env ? [env.from, ...env.to] : []) {
      // ASCII after the last `@` (a regex `@[\x00-\x7f]*$` rescanned from every `@`).
      const asciiDomain = a.includes('@') && !/[^\x00-\x7f]/.test(a.slice(a.lastIndexOf('@')));
      if (/[^\x00-\x7f]/.test(a) && !(ctx.options.smtputf8 && asciiDomain)) {
        ctx.report(
          nonAsciiAddress,
          `Envelope address ${a} is not ASCII; it needs SMTPUTF8 (RFC 6531). Convert the domain to an A-label.`,
          { part: '', area: 'envelope' },
        );
      }
    }
  },
);

const ZERO_WIDTH = /[\u200b-\u200d\ufeff\u00ad]/u;
const BIDI = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const FULLWIDTH = /[\uff01-\uff5e]/u;
const SCRIPTS = [
  /\p{Script=Latin}/u,
  /\p{Script=Cyrillic}/u,
  /\p{Script=Greek}/u,
  /\p{Script=Armenian}/u,
];

/** Why `s` is confusable, or undefined. */
export function confusable(s: string): string | undefined {
  if (ZERO_WIDTH.test(s)) return 'a zero-width character';
  if (BIDI.test(s)) return 'a bidi control character';
  if (/[\u2028\u2029]/.test(s)) return 'a Unicode line separator';
  if (FULLWIDTH.test(s)) return 'fullwidth forms';
  for (const word of s.split(/[\s.@,;:<>"'()\-_/]+/)) {
    if (word.length < 2 || !/[^\x00-\x7f]/.test(word)) continue;
    if (SCRIPTS.filter((re) => re.test(word)).length > 1) return `mixed scripts in "${word}"`;
  }
  return undefined;
}

const confusableRule = rule('confusable-or-obscured-unicode', 'warning', 'D', ['raw'], (ctx) => {
  for (const [f, mb] of addressFields(ctx)) {
    let domain = mb.domain;
    if (/(^|\.)xn--/i.test(domain)) domain = domainToUnicode(domain) || domain;
    const why = confusable(ctx.decode(mb.displayName)) ?? confusable(domain);
    if (why)
      ctx.report(
        confusableRule,
        `${f.name} ${mb.address}: ${why} in the name or domain (homograph spoofing). Use a single script and no invisible characters.`,
        ctx.loc(f),
      );
  }
  const s = ctx.subject();
  const why = s && confusable(s.text);
  if (s && why)
    ctx.report(
      confusableRule,
      `Subject contains ${why}; remove it (used to evade filters and spoof).`,
      ctx.loc(s.field),
    );
});

const quotedLocal = rule('quoted-local-part', 'warning', 'D', ['raw'], (ctx) => {
  for (const [f, mb] of addressFields(ctx)) {
    if (!mb.localQuoted) continue;
    const risky = /[@<>\s\\"]/.test(mb.local.slice(1, -1));
    ctx.report(
      quotedLocal,
      `${mb.address} has a quoted local part${risky ? ' containing @, <, >, spaces, \\ or "' : ''}; several libraries mis-route such addresses. Contact forms should reject them; use a plain dot-atom address.`,
      ctx.loc(f),
    );
  }
});

const FREEMAIL = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'yahoo.de',
  'yahoo.co.uk',
  'aol.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'gmx.de',
  'gmx.net',
  'gmx.at',
  'web.de',
  't-online.de',
  'mail.ru',
  'yandex.ru',
  'proton.me',
  'protonmail.com',
  'freenet.de',
  'posteo.de',
  'mailbox.org',
  'zoho.com',
]);

const fromDomainNotAuthorized = rule(
  'from-domain-not-authorized',
  'warning',
  'D',
  ['raw'],
  (ctx) => {
    const from = ctx.mailboxes('from')[0];
    if (!from || !FREEMAIL.has(from.domain.toLowerCase())) return;
    const midField = ctx.first('message-id');
    const midDomain = midField ? domainOf(ctx.value(midField)) : '';
    const envDomain = ctx.envelope ? domainOf(ctx.envelope.from) : '';
    const foreign = (d: string) => d !== '' && !sameOrganizationalDomain(d, from.domain);
    if (foreign(envDomain) || foreign(midDomain)) {
      ctx.report(
        fromDomainNotAuthorized,
        `From uses ${from.domain}, a mailbox provider's domain, but the mail is sent by ${envDomain || midDomain}. DMARC will quarantine or reject it. Send as "Name via Your Site" <forms@your-domain> and put ${from.address} in Reply-To.`,
        ctx.loc(ctx.first('from')!),
      );
    }
  },
);

const replyToEqualsTo = rule('reply-to-equals-to', 'warning', 'D', ['raw'], (ctx) => {
  if (ctx.first('list-unsubscribe') || ctx.first('x-list') || ctx.autoSubmitted() !== '') return;
  const rt = ctx.mailboxes('reply-to');
  const to = ctx.mailboxes('to');
  if (
    rt.length === 1 &&
    to.length === 1 &&
    rt[0]!.address !== '' &&
    rt[0]!.address.toLowerCase() === to[0]!.address.toLowerCase()
  ) {
    ctx.report(
      replyToEqualsTo,
      `Reply-To equals the To address (${to[0]!.address}); filters score this (REPLYTO_EQ_TO_ADDR). For a confirmation copy to a visitor, drop Reply-To or point it at your support address.`,
      ctx.loc(ctx.first('reply-to')!),
    );
  }
});

const misaligned = rule('header-envelope-misaligned', 'warning', 'D', ['env'], (ctx) => {
  const env = ctx.envelope;
  const from = ctx.mailboxes('from')[0];
  if (!env || !from || env.from === '' || from.domain === '') return;
  if (sameOrganizationalDomain(domainOf(env.from), from.domain)) return;
  for (const f of ctx.headers('dkim-signature')) {
    const d = /(?:^|;)\s*d\s*=\s*([^;\s]+)/.exec(ctx.value(f))?.[1];
    if (d && sameOrganizationalDomain(d, from.domain)) return;
  }
  const fromOrg = organizationalDomain(from.domain);
  ctx.report(
    misaligned,
    `From domain ${from.domain} is aligned neither with the envelope sender ${env.from} (SPF) nor with a DKIM d=. DMARC fails; use a bounce address under ${fromOrg} or sign with d=${fromOrg}.`,
    { part: '', area: 'envelope' },
  );
});

const LOCAL_TLDS =
  /\.(local|lan|intra|internal|localdomain|localhost|home|corp|invalid|test|example)$/i;

/** Why an envelope sender cannot receive bounces, or undefined. */
function unroutableReason(address: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at <= 0) return 'it has no domain (unqualified local account)';
  const domain = address
    .slice(at + 1)
    .toLowerCase()
    .replace(/\.$/, '');
  if (domain === 'localhost' || domain === 'localhost.localdomain')
    return 'its domain is localhost';
  if (domain.startsWith('[') || /^[\d.]+$/.test(domain)) return 'its domain is an IP literal';
  if (!domain.includes('.')) return `"${domain}" is a bare host name, not a mail domain`;
  if (LOCAL_TLDS.test(domain)) return `"${domain}" is a local, non-public domain`;
  return undefined;
}

const unroutable = rule('envelope-sender-unroutable', 'error', 'D', ['env'], (ctx) => {
  const env = ctx.envelope;
  let sender = env?.from;
  let where: FindingLocation = { part: '', area: 'envelope' };
  if (sender === undefined) {
    const rp = ctx.first('return-path');
    if (!rp) return;
    sender = ctx.value(rp).replace(/^<|>$/g, '').trim();
    where = ctx.loc(rp);
  }
  if (sender === '') {
    const isReport = ctx.msg.root.mediaType === 'multipart/report';
    if (!isReport && ctx.autoSubmitted() === '') {
      ctx.report(
        unroutable,
        'The envelope sender is empty (<>), which is only for bounces and auto-replies (RFC 5321 §4.5.5): nobody hears of delivery failures. Use a real bounce address unless this is such a notification.',
        where,
        'warning',
      );
    }
    return;
  }
  const why = unroutableReason(sender);
  if (why) {
    ctx.report(
      unroutable,
      `Envelope sender ${sender}: ${why}, so bounces are lost and receivers that verify the sender reject the mail. Send with a real bounce address (sendmail -f bounce@your-domain, or the envelopeFrom option).`,
      where,
    );
  }
});

export const addressRules: Rule[] = [
  fromInvalid,
  recipientInvalid,
  unquotedSpecials,
  nameContainsAddress,
  lengthExceeded,
  nonAsciiAddress,
  confusableRule,
  quotedLocal,
  fromDomainNotAuthorized,
  replyToEqualsTo,
  misaligned,
  unroutable,
];
