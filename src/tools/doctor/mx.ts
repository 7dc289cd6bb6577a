/**
 * Can the envelope-sender domain receive bounces and the From domain
 * receive replies? MX present (or the RFC 5321 §5.1 A/AAAA fallback), MX
 * hosts that resolve, and a layout without a spam-magnet backup MX.
 */
import { type DoctorCheck, fail, pass, unknown, warn } from './report.js';
import type { DoctorResolver, Lookup } from './resolver.js';
import type { DoctorRule } from './rule.js';

type MxRecord = { exchange: string; priority: number };
type MxKey = 'envelopeMx' | 'fromMx';

/** What the MX rules read about one domain. */
export interface MxFacts {
  domain: string;
  mx: Lookup<MxRecord[]>;
  /** A/AAAA of the domain itself, looked up only when it has no MX (RFC 5321 §5.1). */
  fallback?: Lookup<string[]>;
  /** The MX records by preference with each host's A/AAAA (empty for a null MX). */
  hosts: Array<MxRecord & { a: Lookup<string[]> }>;
  /** A single MX record naming the root: the domain accepts no mail (RFC 7505). */
  nullMx: boolean;
}

/** Looks up what the MX rules need for one domain. */
export async function gatherMx(dns: DoctorResolver, domain: string): Promise<MxFacts> {
  const mx = await dns.mx(domain);
  if (mx.kind === 'nodata') {
    return { domain, mx, fallback: await dns.addresses(domain), hosts: [], nullMx: false };
  }
  if (mx.kind !== 'ok') return { domain, mx, hosts: [], nullMx: false };
  const records = [...mx.value].sort((x, y) => x.priority - y.priority);
  const nullMx =
    records.length === 1 && (records[0]?.exchange === '' || records[0]?.exchange === '.');
  if (nullMx) return { domain, mx, hosts: [], nullMx };
  const hosts = await Promise.all(
    records.map(async (r) => ({ ...r, a: await dns.addresses(r.exchange) })),
  );
  return { domain, mx, hosts, nullMx };
}

const list = (records: readonly MxRecord[]): string =>
  records.map((r) => `${r.priority} ${r.exchange}`).join(', ');

/**
 * The three MX rules for one role: `envelope` (bounces go here, facts
 * `envelopeMx`) or `from` (replies go here, facts `fromMx`, absent when From
 * is in the envelope domain). `role` names the domain in ids and messages.
 */
export function mxRules(role: 'envelope' | 'from'): readonly DoctorRule[] {
  const purpose = role === 'envelope' ? 'bounces (envelope sender)' : 'replies (From)';
  const key: MxKey = role === 'envelope' ? 'envelopeMx' : 'fromMx';
  const id = `${role}-mx`;
  /** A rule over this role's facts; `suffix` completes the id (`envelope-mx-hosts`). */
  const mxRule = (
    suffix: string,
    check: (f: MxFacts) => DoctorCheck | undefined,
  ): DoctorRule<MxKey> => ({
    id: id + suffix,
    needs: [key],
    check: (facts) => {
      const f = facts[key];
      return f && check(f);
    },
  });

  const exists = mxRule('', (f) => {
    const { domain, mx, fallback } = f;
    if (mx.kind === 'nxdomain') {
      return fail(
        id,
        `${domain} does not exist (NXDOMAIN): ${purpose} cannot be delivered, and receivers reject senders from non-existent domains`,
        `Use a registered domain you control for ${role === 'envelope' ? 'the envelope sender (Return-Path)' : 'From'}.`,
      );
    }
    if (mx.kind === 'error') return unknown(id, `MX ${domain}`, mx.code);
    if (fallback?.kind === 'error') {
      return unknown(id, `A/AAAA ${domain} (it has no MX)`, fallback.code);
    }
    if (fallback?.kind === 'ok') {
      return warn(
        id,
        `${domain} has no MX; ${purpose} rely on the A/AAAA fallback (${fallback.value.join(', ')}), which many senders and filters treat as "cannot receive mail"`,
        `Publish MX records for ${domain}.`,
      );
    }
    if (fallback) {
      return fail(
        id,
        `${domain} has neither MX nor A/AAAA records: ${purpose} cannot be delivered, and many receivers reject such senders`,
        `Publish MX records for ${domain} pointing to a server that accepts mail for it.`,
      );
    }
    if (f.nullMx) {
      return fail(
        id,
        `${domain} publishes a null MX (RFC 7505): it accepts no mail, so ${purpose} bounce and receivers may reject the sender`,
        `Use a domain that receives mail, or replace the null MX with real MX records.`,
      );
    }
    return pass(id, `${domain} has MX ${list(f.hosts)}`);
  });

  const hostsResolve = mxRule('-hosts', (f) => {
    if (f.mx.kind !== 'ok' || f.nullMx) return undefined;
    // A host whose lookup failed is not known to be dead.
    const dead = f.hosts.filter((h) => h.a.kind === 'nxdomain' || h.a.kind === 'nodata');
    const failed = f.hosts.find((h) => h.a.kind === 'error');
    if (dead.length === 0 && failed?.a.kind === 'error') {
      return unknown(`${id}-hosts`, `A/AAAA for MX host ${failed.exchange}`, failed.a.code);
    }
    if (dead.length === 0) return pass(`${id}-hosts`, `every MX host of ${f.domain} resolves`);
    return (dead.length === f.hosts.length ? fail : warn)(
      `${id}-hosts`,
      `MX host(s) without A/AAAA: ${dead.map((h) => h.exchange).join(', ')}`,
      `Publish A/AAAA records for every MX host of ${f.domain}, or remove the stale MX records.`,
    );
  });

  const layout = mxRule('-layout', (f) => {
    if (f.mx.kind !== 'ok' || f.nullMx) return undefined;
    const { domain, hosts } = f;
    const priorities = new Set(hosts.map((r) => r.priority));
    const single = hosts.length === 1 ? hosts[0] : undefined;
    if (priorities.size > 1) {
      return warn(
        `${id}-layout`,
        `${domain} has a lower-priority backup MX (${list(hosts)}); spammers target backup MX hosts, which often lack the primary's recipient checks and filtering and then create backscatter`,
        'Give all MX records the same preference and the same filtering, or drop the backup MX (senders queue and retry for days anyway).',
      );
    }
    if (single && single.a.kind === 'ok' && single.a.value.length > 1) {
      return warn(
        `${id}-layout`,
        `${domain} has one MX host with round-robin addresses (${single.a.value.join(', ')}); senders treat it as one host, so one dead address can delay mail`,
        `Publish one MX record per server with equal preference instead of several A records behind one name.`,
      );
    }
    return pass(
      `${id}-layout`,
      priorities.size === 1 && hosts.length > 1
        ? `${hosts.length} MX records share preference ${hosts[0]?.priority}`
        : `${domain} has a single MX host`,
    );
  });

  return [exists, hostsResolve, layout];
}
