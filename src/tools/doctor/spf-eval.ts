/**
 * SPF evaluation: `check_host()` of RFC 7208 §4 with include, a, mx, ptr,
 * ip4, ip6, exists, redirect, macros (§7), the 10-DNS-lookup limit (§4.6.4)
 * and the 2-void-lookup limit.
 */
import { isIP } from 'node:net';
import type { DoctorResolver, Lookup } from './resolver.js';
import { expandIPv6 } from './resolver.js';
import { isSpfRecord, type Mechanism, parseSpf, type Qualifier } from './spf-parse.js';

type SpfResult = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'permerror' | 'temperror';

export interface SpfVerdict {
  result: SpfResult;
  /** Why: the matching mechanism, or the error. */
  reason: string;
  /** DNS-querying terms used (include, a, mx, ptr, exists, redirect). */
  lookups: number;
}

export interface SpfInput {
  ip: string;
  /** The MAIL FROM address (`local@domain`). */
  sender: string;
  helo: string;
  /** Domain to check; defaults to the sender's domain. */
  domain?: string;
}

export const MAX_LOOKUPS = 10;
const MAX_VOID_LOOKUPS = 2;

const QUALIFIER_RESULT: Record<Qualifier, SpfResult> = {
  '+': 'pass',
  '-': 'fail',
  '~': 'softfail',
  '?': 'neutral',
};

class SpfError extends Error {
  constructor(
    readonly result: 'permerror' | 'temperror',
    message: string,
  ) {
    super(message);
  }
}

interface State {
  dns: DoctorResolver;
  ip: string;
  family: 4 | 6;
  sender: string;
  helo: string;
  lookups: number;
  voids: number;
  /** Reason of the last passing include, so the report names the inner mechanism. */
  innerReason?: string;
}

function ipBits(ip: string): { value: bigint; bits: number } {
  if (isIP(ip) === 4) {
    return {
      value: ip.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n),
      bits: 32,
    };
  }
  const groups = expandIPv6(ip).split(':');
  return {
    value: groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n),
    bits: 128,
  };
}

/** True when `ip` is inside `network/prefix` (same family only). */
export function inCidr(ip: string, network: string, prefix: number): boolean {
  if (isIP(ip) !== isIP(network) || isIP(ip) === 0) return false;
  const a = ipBits(ip);
  const b = ipBits(network);
  const shift = BigInt(a.bits - prefix);
  return a.value >> shift === b.value >> shift;
}

/** Expands SPF macros (RFC 7208 §7) in a domain-spec. */
export function expandMacros(
  spec: string,
  s: Pick<State, 'ip' | 'sender' | 'helo'>,
  domain: string,
): string {
  const at = s.sender.lastIndexOf('@');
  const local = at > 0 ? s.sender.slice(0, at) : 'postmaster';
  const senderDomain = at >= 0 ? s.sender.slice(at + 1) : s.sender;
  const v6 = isIP(s.ip) === 6;
  const values: Record<string, string> = {
    s: at > 0 ? s.sender : `postmaster@${senderDomain}`,
    l: local,
    o: senderDomain,
    d: domain,
    i: v6 ? expandIPv6(s.ip).replace(/:/g, '').split('').join('.') : s.ip,
    p: 'unknown',
    v: v6 ? 'ip6' : 'in-addr',
    h: s.helo,
  };
  return spec.replace(
    /%(?:\{([a-z])(\d*)(r?)([.\-+,/_=]*)\}|(%)|(_)|(-))/gi,
    (_m, letter, digits, rev, delims, pct, us, dash) => {
      if (pct) return '%';
      if (us) return ' ';
      if (dash) return '%20';
      const key = String(letter).toLowerCase();
      let value = values[key] ?? '';
      const splitOn = new RegExp(`[${(delims || '.').replace(/[-\\\]^]/g, '\\$&')}]`);
      let parts = value.split(splitOn);
      if (rev) parts = parts.reverse();
      const keep = digits ? Number(digits) : 0;
      if (keep > 0) parts = parts.slice(-keep);
      value = parts.join('.');
      return letter !== key ? encodeURIComponent(value) : value;
    },
  );
}

/** Trims an expanded domain to 253 octets by dropping leading labels (§7.3). */
function fitDomain(d: string): string {
  let out = d.replace(/\.$/, '');
  while (out.length > 253 && out.includes('.')) out = out.slice(out.indexOf('.') + 1);
  return out;
}

function countLookup(s: State, what: string): void {
  s.lookups++;
  if (s.lookups > MAX_LOOKUPS) {
    throw new SpfError(
      'permerror',
      `more than ${MAX_LOOKUPS} DNS-querying terms (limit reached at ${what})`,
    );
  }
}

function unwrap<T>(s: State, l: Lookup<T>, what: string): T | undefined {
  if (l.kind === 'ok') return l.value;
  if (l.kind === 'error') throw new SpfError('temperror', `DNS error ${l.code} for ${what}`);
  s.voids++;
  if (s.voids > MAX_VOID_LOOKUPS) {
    throw new SpfError('permerror', `more than ${MAX_VOID_LOOKUPS} void lookups (last: ${what})`);
  }
  return undefined;
}

async function addressesOf(s: State, name: string): Promise<Lookup<string[]>> {
  return s.family === 4 ? s.dns.a(name) : s.dns.aaaa(name);
}

async function matches(s: State, m: Mechanism, domain: string): Promise<boolean> {
  switch (m.kind) {
    case 'all':
      return true;
    case 'ip4':
    case 'ip6':
      return inCidr(s.ip, m.ip, m.prefix);
    case 'include': {
      countLookup(s, m.text);
      const target = fitDomain(expandMacros(m.domain, s, domain));
      const r = await evaluate(s, target);
      if (r.result === 'pass') {
        s.innerReason = r.reason;
        return true;
      }
      if (r.result === 'temperror')
        throw new SpfError('temperror', `include:${target}: ${r.reason}`);
      if (r.result === 'permerror' || r.result === 'none') {
        throw new SpfError('permerror', `include:${target} gave ${r.result} (${r.reason})`);
      }
      return false;
    }
    case 'a': {
      countLookup(s, m.text);
      const target = fitDomain(expandMacros(m.domain ?? domain, s, domain));
      const addrs = unwrap(s, await addressesOf(s, target), `a:${target}`) ?? [];
      return addrs.some((a) => inCidr(s.ip, a, s.family === 4 ? m.cidr4 : m.cidr6));
    }
    case 'mx': {
      countLookup(s, m.text);
      const target = fitDomain(expandMacros(m.domain ?? domain, s, domain));
      const mxs = unwrap(s, await s.dns.mx(target), `mx:${target}`) ?? [];
      if (mxs.length > 10)
        throw new SpfError('permerror', `mx:${target} has more than 10 MX records`);
      for (const mx of mxs) {
        const res = await addressesOf(s, mx.exchange);
        if (res.kind === 'error')
          throw new SpfError('temperror', `DNS error ${res.code} for ${mx.exchange}`);
        const addrs = res.kind === 'ok' ? res.value : [];
        if (addrs.some((a) => inCidr(s.ip, a, s.family === 4 ? m.cidr4 : m.cidr6))) return true;
      }
      return false;
    }
    case 'ptr': {
      countLookup(s, m.text);
      const target = fitDomain(expandMacros(m.domain ?? domain, s, domain)).toLowerCase();
      const ptr = await s.dns.ptr(s.ip);
      if (ptr.kind !== 'ok') return false;
      for (const name of ptr.value.slice(0, 10)) {
        const n = name.toLowerCase().replace(/\.$/, '');
        const fwd = await addressesOf(s, n);
        const validated =
          fwd.kind === 'ok' && fwd.value.some((a) => inCidr(s.ip, a, s.family === 4 ? 32 : 128));
        if (validated && (n === target || n.endsWith(`.${target}`))) return true;
      }
      return false;
    }
    case 'exists': {
      countLookup(s, m.text);
      const target = fitDomain(expandMacros(m.domain, s, domain));
      const a = unwrap(s, await s.dns.a(target), `exists:${target}`);
      return a !== undefined && a.length > 0;
    }
  }
}

async function evaluate(s: State, domain: string): Promise<Omit<SpfVerdict, 'lookups'>> {
  const txt = await s.dns.txt(domain);
  if (txt.kind === 'error')
    return { result: 'temperror', reason: `DNS error ${txt.code} for TXT ${domain}` };
  if (txt.kind !== 'ok') return { result: 'none', reason: `${domain} has no SPF record` };
  const records = txt.value.filter(isSpfRecord);
  if (records.length === 0) return { result: 'none', reason: `${domain} has no SPF record` };
  if (records.length > 1)
    return { result: 'permerror', reason: `${domain} has ${records.length} SPF records` };
  const parsed = parseSpf(records[0] ?? '');
  if (!parsed.ok) return { result: 'permerror', reason: `${domain}: ${parsed.error}` };
  try {
    for (const m of parsed.record.mechanisms) {
      if (await matches(s, m, domain)) {
        const inner = m.kind === 'include' && s.innerReason ? ` → ${s.innerReason}` : '';
        return {
          result: QUALIFIER_RESULT[m.qualifier],
          reason: `matched "${m.text}" in ${domain}${inner}`,
        };
      }
    }
    if (parsed.record.redirect !== undefined) {
      countLookup(s, `redirect=${parsed.record.redirect}`);
      const target = fitDomain(expandMacros(parsed.record.redirect, s, domain));
      const r = await evaluate(s, target);
      if (r.result === 'none')
        return { result: 'permerror', reason: `redirect=${target} has no SPF record` };
      return r;
    }
    return { result: 'neutral', reason: `nothing matched in ${domain} (default ?all)` };
  } catch (e) {
    if (e instanceof SpfError) return { result: e.result, reason: e.message };
    throw e;
  }
}

/**
 * RFC 7208 `check_host()` for one IP and envelope sender.
 *
 * @example
 * ```ts
 * const v = await checkHost(createDoctorResolver({ servers: ['127.0.0.1:5353'] }),
 *   { ip: '192.0.2.10', sender: 'bounces@example.com', helo: 'mail.example.com' });
 * v.result // 'pass'
 * ```
 */
export async function checkHost(dns: DoctorResolver, input: SpfInput): Promise<SpfVerdict> {
  const family = isIP(input.ip);
  if (family === 0)
    return { result: 'permerror', reason: `not an IP address: ${input.ip}`, lookups: 0 };
  const at = input.sender.lastIndexOf('@');
  const domain = (
    input.domain ?? (at >= 0 ? input.sender.slice(at + 1) : input.helo)
  ).toLowerCase();
  const s: State = {
    dns,
    ip: input.ip,
    family: family as 4 | 6,
    sender: input.sender,
    helo: input.helo,
    lookups: 0,
    voids: 0,
  };
  const r = await evaluate(s, domain);
  return { ...r, lookups: s.lookups };
}
