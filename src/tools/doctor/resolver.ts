/**
 * DNS access for `doctor`. Every lookup goes through `dns.promises.Resolver`
 * (configurable servers and timeout) or an injected object with the same
 * methods; never through `dns.lookup`, so `/etc/hosts` plays no part.
 * Answers are cached per run because SPF evaluation repeats queries.
 */
import { promises as dnsPromises } from 'node:dns';
import { isIP } from 'node:net';
import { MailHygieneError } from '../../wire/index.js';

/** The subset of `dns.promises.Resolver` that doctor uses. */
export interface DnsLike {
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
  resolveMx(name: string): Promise<Array<{ exchange: string; priority: number }>>;
  resolveTxt(name: string): Promise<string[][]>;
  resolvePtr(name: string): Promise<string[]>;
}

/** Resolver settings: DNS servers (`host`, `host:port`, `[v6]:port`) and a per-query timeout. */
export interface ResolverOptions {
  servers?: string[];
  timeoutMs?: number;
}

/** Outcome of one lookup; NXDOMAIN and NODATA are answers, not errors (RFC 7208 §4.3, §5). */
export type Lookup<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'nxdomain' }
  | { kind: 'nodata' }
  | { kind: 'error'; code: string; message: string };

export interface DoctorResolver {
  a(name: string): Promise<Lookup<string[]>>;
  aaaa(name: string): Promise<Lookup<string[]>>;
  mx(name: string): Promise<Lookup<Array<{ exchange: string; priority: number }>>>;
  /** TXT records with their character-strings joined (RFC 7208 §3.3). */
  txt(name: string): Promise<Lookup<string[]>>;
  ptr(ip: string): Promise<Lookup<string[]>>;
  /** A and AAAA together; `ok` if either has addresses. */
  addresses(name: string): Promise<Lookup<string[]>>;
}

const NO_DATA_CODES = new Set(['ENODATA']);
const NX_CODES = new Set(['ENOTFOUND', 'NXDOMAIN']);

function isDnsLike(v: unknown): v is DnsLike {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as DnsLike).resolve4 === 'function' &&
    typeof (v as DnsLike).resolveTxt === 'function'
  );
}

/** Builds a `dns.promises.Resolver` with the given servers and timeout (one try). */
function createDnsResolver(options: ResolverOptions = {}): DnsLike {
  const r = new dnsPromises.Resolver({ timeout: options.timeoutMs ?? 5000, tries: 1 });
  if (options.servers && options.servers.length > 0) {
    try {
      r.setServers(options.servers);
    } catch (cause) {
      throw new MailHygieneError(
        'INVALID_OPTIONS',
        `invalid DNS server in ${JSON.stringify(options.servers)}`,
        {
          field: 'resolver.servers',
          cause,
        },
      );
    }
  }
  return r;
}

/**
 * The reverse-lookup name of an IP address (`in-addr.arpa` / nibble
 * `ip6.arpa`), queried as PTR directly: `Resolver.reverse()` would consult
 * `/etc/hosts` first.
 *
 * @example
 * ```ts
 * reverseName('192.0.2.10') // '10.2.0.192.in-addr.arpa'
 * ```
 */
export function reverseName(ip: string): string {
  if (isIP(ip) === 4) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  if (isIP(ip) === 6)
    return `${expandIPv6(ip).replace(/:/g, '').split('').reverse().join('.')}.ip6.arpa`;
  throw new Error(`not an IP address: ${ip}`);
}

/** Full 8×4-hex-digit form of an IPv6 address (no IPv4 tail support needed beyond dotted quads). */
export function expandIPv6(ip: string): string {
  let addr = ip.toLowerCase();
  const v4 = /(?:^|:)(\d+\.\d+\.\d+\.\d+)$/.exec(addr);
  if (v4?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = v4[1].split('.').map(Number);
    addr = `${addr.slice(0, -v4[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = addr.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => g.padStart(4, '0')).join(':');
}

async function wrap<T>(fn: () => Promise<T>): Promise<Lookup<T>> {
  try {
    const value = await fn();
    if (Array.isArray(value) && value.length === 0) return { kind: 'nodata' };
    return { kind: 'ok', value };
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'ERROR';
    if (NX_CODES.has(code)) return { kind: 'nxdomain' };
    if (NO_DATA_CODES.has(code)) return { kind: 'nodata' };
    return { kind: 'error', code, message: (e as Error).message ?? String(e) };
  }
}

const lower = (name: string): string => name.toLowerCase().replace(/\.$/, '');

/**
 * Creates the caching resolver used by all checks.
 *
 * @param resolver servers/timeout for a fresh `dns.promises.Resolver`, or any object with its methods
 */
export function createDoctorResolver(resolver?: ResolverOptions | DnsLike): DoctorResolver {
  const dns = isDnsLike(resolver) ? resolver : createDnsResolver(resolver);
  const cache = new Map<string, Promise<Lookup<unknown>>>();
  const cached = <T>(type: string, name: string, fn: () => Promise<T>): Promise<Lookup<T>> => {
    const key = `${type} ${lower(name)}`;
    let hit = cache.get(key);
    if (!hit) {
      hit = wrap(fn);
      cache.set(key, hit);
    }
    return hit as Promise<Lookup<T>>;
  };
  const self: DoctorResolver = {
    a: (n) => cached('A', n, () => dns.resolve4(lower(n))),
    aaaa: (n) => cached('AAAA', n, () => dns.resolve6(lower(n))),
    mx: (n) => cached('MX', n, () => dns.resolveMx(lower(n))),
    txt: (n) =>
      cached('TXT', n, async () =>
        (await dns.resolveTxt(lower(n))).map((chunks) => chunks.join('')),
      ),
    ptr: (ip) => cached('PTR', ip, () => dns.resolvePtr(reverseName(ip))),
    async addresses(n) {
      const [a, aaaa] = await Promise.all([self.a(n), self.aaaa(n)]);
      const all = [...(a.kind === 'ok' ? a.value : []), ...(aaaa.kind === 'ok' ? aaaa.value : [])];
      if (all.length > 0) return { kind: 'ok', value: all };
      if (a.kind === 'error') return a;
      if (aaaa.kind === 'error') return aaaa;
      if (a.kind === 'nxdomain' || aaaa.kind === 'nxdomain') return { kind: 'nxdomain' };
      return { kind: 'nodata' };
    },
  };
  return self;
}

/** Compares IP addresses in canonical form (IPv6 zero-compression, case). */
export function sameIp(a: string, b: string): boolean {
  if (isIP(a) !== isIP(b) || isIP(a) === 0) return false;
  return isIP(a) === 4 ? a === b : expandIPv6(a) === expandIPv6(b);
}
