/**
 * SPF checks of the envelope-sender domain: one record, valid syntax, within
 * the 10-lookup limit for every path, and a `pass` for the sending IP.
 */
import { type DoctorCheck, fail, pass, unknown, warn } from './report.js';
import type { DoctorResolver } from './resolver.js';
import { checkHost, MAX_LOOKUPS } from './spf-eval.js';
import { isSpfRecord, parseSpf, type SpfRecord } from './spf-parse.js';

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
export async function countSpfLookups(
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

/** SPF checks for the envelope-sender domain. */
export async function checkSpf(dns: DoctorResolver, input: SpfCheckInput): Promise<DoctorCheck[]> {
  const { domain } = input;
  const out: DoctorCheck[] = [];
  const txt = await dns.txt(domain);
  if (txt.kind === 'error') {
    out.push(unknown('spf-record', `TXT ${domain}`, txt.code));
    return out;
  }
  const records = txt.kind === 'ok' ? txt.value.filter(isSpfRecord) : [];
  if (records.length === 0) {
    out.push(
      fail(
        'spf-record',
        `${domain} publishes no SPF record; Gmail and Yahoo require SPF (or DKIM, both for bulk senders) and DMARC cannot pass on SPF`,
        `Publish a TXT record at ${domain}: "v=spf1 ${input.ip ? `ip${input.ip.includes(':') ? 6 : 4}:${input.ip} ` : ''}-all" (list every host that sends as ${domain}).`,
      ),
    );
    return out;
  }
  if (records.length > 1) {
    out.push(
      fail(
        'spf-record',
        `${domain} publishes ${records.length} SPF records; RFC 7208 §4.5 makes that a permerror, so SPF fails everywhere`,
        'Merge them into a single "v=spf1 …" TXT record.',
      ),
    );
    return out;
  }
  const text = records[0] ?? '';
  out.push(pass('spf-record', `${domain}: "${text}"`));

  const parsed = parseSpf(text);
  if (!parsed.ok) {
    out.push(
      fail(
        'spf-syntax',
        `SPF record of ${domain} is invalid: ${parsed.error} (permerror)`,
        'Fix the record syntax (RFC 7208 §12).',
      ),
    );
    return out;
  }
  const record = parsed.record;
  const all = record.mechanisms.find((m) => m.kind === 'all');
  if (all && (all.qualifier === '+' || all.qualifier === '?')) {
    out.push(
      (all.qualifier === '+' ? fail : warn)(
        'spf-syntax',
        `SPF record of ${domain} ends in "${all.text}", which lets any host on the internet send as ${domain}`,
        'End the record with "-all" (or "~all" while testing).',
      ),
    );
  } else if (record.mechanisms.some((m) => m.kind === 'ptr')) {
    out.push(
      warn(
        'spf-syntax',
        'SPF record uses the "ptr" mechanism, which RFC 7208 §5.5 says not to use',
        'Replace ptr with ip4/ip6 or a.',
      ),
    );
  } else if (!all && record.redirect === undefined) {
    out.push(
      warn(
        'spf-syntax',
        `SPF record of ${domain} has no "all" and no redirect, so unlisted hosts get "neutral"`,
        'End the record with "-all".',
      ),
    );
  } else {
    out.push(pass('spf-syntax', 'SPF record is syntactically valid'));
  }

  const walk = await countSpfLookups(dns, record, new Set([domain.toLowerCase()]));
  if (walk.lookups > MAX_LOOKUPS) {
    out.push(
      fail(
        'spf-lookups',
        `SPF needs ${walk.lookups} DNS lookups in the worst case; more than ${MAX_LOOKUPS} is a permerror (RFC 7208 §4.6.4)`,
        'Flatten includes into ip4/ip6 ranges or drop unused includes.',
      ),
    );
  } else if (walk.problems.length === 0 && walk.failed) {
    out.push(unknown('spf-lookups', `TXT ${walk.failed.name} (an include)`, walk.failed.code));
  } else if (walk.problems.length > 0) {
    out.push(
      fail(
        'spf-lookups',
        `SPF includes are broken: ${walk.problems.join('; ')}`,
        'Fix or remove the broken include/redirect targets.',
      ),
    );
  } else {
    out.push(
      pass('spf-lookups', `SPF needs at most ${walk.lookups} of ${MAX_LOOKUPS} DNS lookups`),
    );
  }

  if (input.ip) {
    const v = await checkHost(dns, {
      ip: input.ip,
      sender: input.envelopeFrom,
      helo: input.helo,
      domain,
    });
    const msg = `SPF for ${input.ip} as ${input.envelopeFrom}: ${v.result} (${v.reason})`;
    const addFix = `Authorize ${input.ip} in the SPF record of ${domain} (e.g. "ip${input.ip.includes(':') ? 6 : 4}:${input.ip}").`;
    if (v.result === 'pass') out.push(pass('spf-result', msg));
    else if (v.result === 'temperror') {
      // A DNS failure during evaluation (RFC 7208 §2.6.6): the result is not known.
      out.push({
        ...unknown('spf-result', `SPF for ${input.ip}`, 'temperror'),
        message: `${msg}: a DNS lookup failed, so the SPF result is not known`,
      });
    } else if (v.result === 'softfail' || v.result === 'neutral') {
      out.push(
        warn(
          'spf-result',
          `${msg}; receivers treat this as suspicious and DMARC cannot pass on SPF`,
          addFix,
        ),
      );
    } else out.push(fail('spf-result', msg, addFix));
  }
  return out;
}
