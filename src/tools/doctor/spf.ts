/**
 * SPF checks of the envelope-sender domain: one record, valid syntax, within
 * the 10-lookup limit for every path, and a `pass` for the sending IP.
 */
import { fail, pass, unknown, warn } from './report.js';
import type { DoctorResolver, Lookup } from './resolver.js';
import type { DoctorRule } from './rule.js';
import { checkHost, MAX_LOOKUPS } from './spf-eval.js';
import { isSpfRecord, parseSpf, type SpfRecord } from './spf-parse.js';

type SpfVerdict = Awaited<ReturnType<typeof checkHost>>;

interface WalkResult {
  lookups: number;
  problems: string[];
  /** The first include whose lookup failed (not: had no record). */
  failed?: { name: string; code: string };
}

/**
 * Worst-case count of DNS-querying terms (RFC 7208 §4.6.4), following
 * include and redirect. An IP that matches early uses fewer, but every IP
 * that falls through to the end needs them all, so > 10 is a permerror for
 * those senders.
 */
async function countSpfLookups(
  dns: DoctorResolver,
  record: SpfRecord,
  seen: Set<string> = new Set(),
): Promise<WalkResult> {
  const out: WalkResult = { lookups: 0, problems: [] };
  const targets: string[] = [];
  for (const m of record.mechanisms) {
    if (m.kind === 'include') {
      out.lookups++;
      targets.push(m.domain);
    } else if (m.kind === 'a' || m.kind === 'mx' || m.kind === 'ptr' || m.kind === 'exists') {
      out.lookups++;
    }
  }
  if (record.redirect !== undefined && !record.mechanisms.some((m) => m.kind === 'all')) {
    out.lookups++;
    targets.push(record.redirect);
  }
  for (const target of targets) {
    // macro targets depend on the sender; they cannot be followed statically
    if (target.includes('%')) continue;
    const name = target.toLowerCase().replace(/\.$/, '');
    if (seen.has(name)) {
      out.problems.push(`loop: ${name} is included more than once`);
      continue;
    }
    seen.add(name);
    const txt = await dns.txt(name);
    if (txt.kind === 'error') {
      // Not a missing record: nothing is known about this include.
      out.failed ??= { name, code: txt.code };
      continue;
    }
    const records = txt.kind === 'ok' ? txt.value.filter(isSpfRecord) : [];
    if (records.length !== 1) {
      out.problems.push(
        `${name}: ${records.length === 0 ? 'no SPF record' : 'several SPF records'} (permerror)`,
      );
      continue;
    }
    const parsed = parseSpf(records[0] ?? '');
    if (!parsed.ok) {
      out.problems.push(`${name}: ${parsed.error}`);
      continue;
    }
    const sub = await countSpfLookups(dns, parsed.record, seen);
    out.lookups += sub.lookups;
    out.problems.push(...sub.problems);
    out.failed ??= sub.failed;
  }
  return out;
}

export interface SpfCheckInput {
  domain: string;
  envelopeFrom: string;
  helo: string;
  ip?: string;
}

/** What the SPF rules read about the envelope-sender domain. */
export interface SpfFacts {
  domain: string;
  txt: Lookup<string[]>;
  /** The `v=spf1` TXT records. */
  records: string[];
  /** The one record, parsed (absent unless there is exactly one). */
  parsed?: ReturnType<typeof parseSpf>;
  /** Lookups on the worst path through includes and redirects (when the record parses). */
  walk?: WalkResult;
  /** RFC 7208 check_host() for the sending IP (when the record parses and an IP is given). */
  verdict?: SpfVerdict;
}

/** Looks up and evaluates what the SPF rules need. */
export async function gatherSpf(dns: DoctorResolver, input: SpfCheckInput): Promise<SpfFacts> {
  const { domain } = input;
  const txt = await dns.txt(domain);
  const records = txt.kind === 'ok' ? txt.value.filter(isSpfRecord) : [];
  const facts: SpfFacts = { domain, txt, records };
  if (records.length !== 1) return facts;
  facts.parsed = parseSpf(records[0] ?? '');
  if (!facts.parsed.ok) return facts;
  facts.walk = await countSpfLookups(dns, facts.parsed.record, new Set([domain.toLowerCase()]));
  if (input.ip) {
    facts.verdict = await checkHost(dns, {
      ip: input.ip,
      sender: input.envelopeFrom,
      helo: input.helo,
      domain,
    });
  }
  return facts;
}

/** `ip4:192.0.2.1` or `ip6:…`, the mechanism that authorizes `ip`. */
const ipMechanism = (ip: string): string => `ip${ip.includes(':') ? 6 : 4}:${ip}`;

const spfRecord: DoctorRule<'spf'> = {
  id: 'spf-record',
  needs: ['spf'],
  check: ({ spf: { domain, txt, records }, setup }) => {
    if (txt.kind === 'error') return unknown('spf-record', `TXT ${domain}`, txt.code);
    if (records.length === 0) {
      return fail(
        'spf-record',
        `${domain} publishes no SPF record; Gmail and Yahoo require SPF (or DKIM, both for bulk senders) and DMARC cannot pass on SPF`,
        `Publish a TXT record at ${domain}: "v=spf1 ${setup.ip ? `${ipMechanism(setup.ip)} ` : ''}-all" (list every host that sends as ${domain}).`,
      );
    }
    if (records.length > 1) {
      return fail(
        'spf-record',
        `${domain} publishes ${records.length} SPF records; RFC 7208 §4.5 makes that a permerror, so SPF fails everywhere`,
        'Merge them into a single "v=spf1 …" TXT record.',
      );
    }
    return pass('spf-record', `${domain}: "${records[0] ?? ''}"`);
  },
};

const spfSyntax: DoctorRule<'spf'> = {
  id: 'spf-syntax',
  needs: ['spf'],
  check: ({ spf: { domain, parsed } }) => {
    if (!parsed) return undefined;
    if (!parsed.ok) {
      return fail(
        'spf-syntax',
        `SPF record of ${domain} is invalid: ${parsed.error} (permerror)`,
        'Fix the record syntax (RFC 7208 §12).',
      );
    }
    const { record } = parsed;
    const all = record.mechanisms.find((m) => m.kind === 'all');
    if (all && (all.qualifier === '+' || all.qualifier === '?')) {
      return (all.qualifier === '+' ? fail : warn)(
        'spf-syntax',
        `SPF record of ${domain} ends in "${all.text}", which lets any host on the internet send as ${domain}`,
        'End the record with "-all" (or "~all" while testing).',
      );
    }
    if (record.mechanisms.some((m) => m.kind === 'ptr')) {
      return warn(
        'spf-syntax',
        'SPF record uses the "ptr" mechanism, which RFC 7208 §5.5 says not to use',
        'Replace ptr with ip4/ip6 or a.',
      );
    }
    if (!all && record.redirect === undefined) {
      return warn(
        'spf-syntax',
        `SPF record of ${domain} has no "all" and no redirect, so unlisted hosts get "neutral"`,
        'End the record with "-all".',
      );
    }
    return pass('spf-syntax', 'SPF record is syntactically valid');
  },
};

const spfLookups: DoctorRule<'spf'> = {
  id: 'spf-lookups',
  needs: ['spf'],
  check: ({ spf: { walk } }) => {
    if (!walk) return undefined;
    if (walk.lookups > MAX_LOOKUPS) {
      return fail(
        'spf-lookups',
        `SPF needs ${walk.lookups} DNS lookups in the worst case; more than ${MAX_LOOKUPS} is a permerror (RFC 7208 §4.6.4)`,
        'Flatten includes into ip4/ip6 ranges or drop unused includes.',
      );
    }
    if (walk.problems.length === 0 && walk.failed) {
      return unknown('spf-lookups', `TXT ${walk.failed.name} (an include)`, walk.failed.code);
    }
    if (walk.problems.length > 0) {
      return fail(
        'spf-lookups',
        `SPF includes are broken: ${walk.problems.join('; ')}`,
        'Fix or remove the broken include/redirect targets.',
      );
    }
    return pass('spf-lookups', `SPF needs at most ${walk.lookups} of ${MAX_LOOKUPS} DNS lookups`);
  },
};

const spfResult: DoctorRule<'spf'> = {
  id: 'spf-result',
  needs: ['spf'],
  check: ({ spf: { domain, verdict: v }, setup }) => {
    const { ip } = setup;
    if (!v || !ip) return undefined;
    const msg = `SPF for ${ip} as ${setup.envelopeFrom}: ${v.result} (${v.reason})`;
    const addFix = `Authorize ${ip} in the SPF record of ${domain} (e.g. "${ipMechanism(ip)}").`;
    if (v.result === 'pass') return pass('spf-result', msg);
    if (v.result === 'temperror') {
      // A DNS failure during evaluation (RFC 7208 §2.6.6): the result is not known.
      return {
        ...unknown('spf-result', `SPF for ${ip}`, 'temperror'),
        message: `${msg}: a DNS lookup failed, so the SPF result is not known`,
      };
    }
    if (v.result === 'softfail' || v.result === 'neutral') {
      return warn(
        'spf-result',
        `${msg}; receivers treat this as suspicious and DMARC cannot pass on SPF`,
        addFix,
      );
    }
    return fail('spf-result', msg, addFix);
  },
};

/** SPF of the envelope-sender domain: one record, valid, ≤ 10 lookups, a pass for the IP. */
export const spfRules: readonly DoctorRule[] = [spfRecord, spfSyntax, spfLookups, spfResult];
