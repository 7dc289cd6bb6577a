/**
 * HELO and reverse-DNS checks: receivers (Gmail, Yahoo, most MTAs) want a
 * HELO name that is a real, resolving FQDN, a PTR for the sending IP that
 * resolves back to it (FCrDNS), agreement between the two, and no name that
 * looks like a dial-up or dynamic pool address.
 */
import { isIP } from 'node:net';
import { isHostname } from '../../wire/index.js';
import { fail, pass, unknown, warn } from './report.js';
import { type DoctorResolver, type Lookup, reverseName, sameIp } from './resolver.js';
import type { DoctorRule } from './rule.js';

/** A public HELO name: a fully qualified host name whose top-level label starts with a letter. */
const isHeloHostname = (name: string) =>
  isHostname(name, { qualified: true }) && /[a-z]/i.test(name[name.lastIndexOf('.') + 1] ?? '');
const LOCAL_SUFFIX =
  /(?:^|\.)(?:localhost|localdomain|local|lan|intra|internal|home|corp|invalid|test|example)$/i;

/** Words that mark generic access-network names (Spamhaus PBL style). */
const DYNAMIC_WORDS =
  /(?:^|[^a-z])(dyn|dynamic|dhcp|pool|[avx]?dsl|cable|dial|dialup|dialin|ppp|pppoe|broadband|cpe|customer|cust|dip|fibre|ftth)(?=[^a-z]|$)/i;

/**
 * True when the name embeds the IP address, e.g. `192-0-2-10.pool.isp.example`
 * or `c0000210.example.net` (the address in hex).
 */
export function embedsIp(name: string, ip: string): boolean {
  if (isIP(ip) !== 4) return false;
  const octets = ip.split('.');
  const groups = name.toLowerCase().match(/\d+/g) ?? [];
  const joined = `,${groups.map((g) => String(Number(g))).join(',')},`;
  if (
    joined.includes(`,${octets.join(',')},`) ||
    joined.includes(`,${[...octets].reverse().join(',')},`)
  ) {
    return true;
  }
  const hex = octets.map((o) => Number(o).toString(16).padStart(2, '0')).join('');
  return name.toLowerCase().includes(hex);
}

/** Why a PTR name looks dynamic, or undefined when it does not. */
export function dynamicReason(
  name: string,
  ip?: string,
): { word?: string; embedsIp: boolean } | undefined {
  const word = DYNAMIC_WORDS.exec(name)?.[1];
  const embeds = ip ? embedsIp(name, ip) : false;
  if (!word && !embeds) return undefined;
  return word === undefined ? { embedsIp: embeds } : { word, embedsIp: embeds };
}

const describeFailure = (l: Lookup<unknown>): string =>
  l.kind === 'nxdomain'
    ? 'the name does not exist (NXDOMAIN)'
    : l.kind === 'nodata'
      ? 'no records of that type (NODATA)'
      : l.kind === 'error'
        ? `DNS error ${l.code}`
        : 'ok';

/** What the HELO rules read: the name's shape and, for a plausible FQDN, its addresses. */
export interface HeloFacts {
  /** The HELO name without a trailing dot. */
  name: string;
  /** `literal`: `[192.0.2.1]`; `invalid`: not a public FQDN; `fqdn`: looked up. */
  shape: 'literal' | 'invalid' | 'fqdn';
  /** A/AAAA of `name`, only for the shape `fqdn`. */
  addresses?: Lookup<string[]>;
}

/** Looks up what the HELO rules need (`helo`: trimmed). */
export async function gatherHelo(dns: DoctorResolver, helo: string): Promise<HeloFacts> {
  const name = helo.replace(/\.$/, '');
  if (/^\[.*\]$/.test(name)) return { name, shape: 'literal' };
  if (!isHeloHostname(name) || LOCAL_SUFFIX.test(name)) return { name, shape: 'invalid' };
  return { name, shape: 'fqdn', addresses: await dns.addresses(name) };
}

/** What the PTR rules read: the sending IP's PTR names and their A/AAAA. */
export interface PtrFacts {
  lookup: Lookup<string[]>;
  /** The PTR names, lower-case without a trailing dot (empty unless `lookup` is ok). */
  names: string[];
  /** A/AAAA of each name. */
  forward: Array<{ n: string; a: Lookup<string[]> }>;
}

/** Looks up what the PTR rules need. */
export async function gatherPtr(dns: DoctorResolver, ip: string): Promise<PtrFacts> {
  const lookup = await dns.ptr(ip);
  if (lookup.kind !== 'ok') return { lookup, names: [], forward: [] };
  const names = lookup.value.map((n) => n.toLowerCase().replace(/\.$/, ''));
  const forward = await Promise.all(names.map(async (n) => ({ n, a: await dns.addresses(n) })));
  return { lookup, names, forward };
}

const heloFqdn: DoctorRule<'helo'> = {
  id: 'helo-fqdn',
  needs: ['helo'],
  check: ({ helo, setup }) => {
    if (helo.shape === 'literal') {
      return warn(
        'helo-fqdn',
        `HELO ${helo.name} is an address literal; allowed by RFC 5321 but scored as suspicious by many receivers`,
        'Use the fully-qualified host name the sending IP\'s PTR points to, e.g. "mail.example.com".',
      );
    }
    if (helo.shape === 'invalid') {
      return fail(
        'helo-fqdn',
        `HELO "${setup.helo}" is not a public fully-qualified domain name; strict receivers reject it (e.g. Postfix reject_non_fqdn_helo_hostname)`,
        "Configure the MTA's HELO/EHLO name (Postfix: smtp_helo_name / myhostname) to a public FQDN such as mail.example.com.",
      );
    }
    return pass('helo-fqdn', `HELO ${helo.name} is a fully-qualified domain name`);
  },
};

const heloResolves: DoctorRule<'helo'> = {
  id: 'helo-resolves',
  needs: ['helo'],
  check: ({ helo: { name, addresses } }) => {
    if (!addresses) return undefined;
    if (addresses.kind === 'error') {
      return unknown('helo-resolves', `A/AAAA for HELO ${name}`, addresses.code);
    }
    if (addresses.kind !== 'ok') {
      return fail(
        'helo-resolves',
        `HELO ${name} has no A/AAAA record: ${describeFailure(addresses)}`,
        `Publish an A (and AAAA for IPv6) record for ${name} pointing to the sending IP.`,
      );
    }
    return pass('helo-resolves', `HELO ${name} resolves to ${addresses.value.join(', ')}`);
  },
};

const heloIp: DoctorRule<'helo'> = {
  id: 'helo-ip',
  needs: ['helo'],
  check: ({ helo: { name, addresses }, setup: { ip } }) => {
    if (!ip || addresses?.kind !== 'ok') return undefined;
    if (addresses.value.some((a) => sameIp(a, ip))) {
      return pass('helo-ip', `HELO ${name} resolves to the sending IP ${ip}`);
    }
    return fail(
      'helo-ip',
      `HELO ${name} resolves to ${addresses.value.join(', ')}, not to the sending IP ${ip}`,
      `Point ${name} at ${ip}, or use as HELO the name that does.`,
    );
  },
};

/** HELO is a public FQDN that resolves, to the sending IP when one is given. */
export const heloRules: readonly DoctorRule[] = [heloFqdn, heloResolves, heloIp];

/** Without a sending IP, PTR, FCrDNS and SPF evaluation cannot be made: say so once. */
const ipGiven: DoctorRule<never> = {
  id: 'ip',
  needs: [],
  check: ({ setup }) =>
    setup.ip
      ? undefined
      : warn(
          'ip',
          'no sending IP given: PTR, FCrDNS and SPF evaluation were skipped',
          'Pass the public IP your mail leaves from (--ip).',
        ),
};

const ptrExists: DoctorRule<'ptr'> = {
  id: 'ptr-exists',
  needs: ['ptr'],
  check: ({ ptr, setup: { ip, helo } }) => {
    if (!ptr || !ip) return undefined;
    if (ptr.lookup.kind === 'error') {
      return unknown('ptr-exists', `PTR ${reverseName(ip)}`, ptr.lookup.code);
    }
    if (ptr.lookup.kind !== 'ok') {
      return fail(
        'ptr-exists',
        `${ip} has no PTR record (${reverseName(ip)}: ${describeFailure(ptr.lookup)}); Gmail and Yahoo reject or throttle mail from IPs without reverse DNS`,
        `Ask whoever owns ${ip} (hosting provider / ISP) to set its PTR to your mail host name, e.g. ${helo}.`,
      );
    }
    return pass('ptr-exists', `${ip} has PTR ${ptr.names.join(', ')}`);
  },
};

const ptrFcrdns: DoctorRule<'ptr'> = {
  id: 'ptr-fcrdns',
  needs: ['ptr'],
  check: ({ ptr, setup: { ip } }) => {
    if (ptr?.lookup.kind !== 'ok' || !ip) return undefined;
    const { forward, names } = ptr;
    const confirmed = forward
      .filter((f) => f.a.kind === 'ok' && f.a.value.some((x) => sameIp(x, ip)))
      .map((f) => f.n);
    const failedLookup = forward.find((f) => f.a.kind === 'error');
    if (confirmed.length > 0) {
      return pass(
        'ptr-fcrdns',
        `forward-confirmed reverse DNS: ${confirmed[0]} resolves back to ${ip}`,
      );
    }
    if (failedLookup?.a.kind === 'error') {
      return unknown('ptr-fcrdns', `A/AAAA for ${failedLookup.n}`, failedLookup.a.code);
    }
    const seen = forward
      .map((f) => `${f.n} → ${f.a.kind === 'ok' ? f.a.value.join(', ') : describeFailure(f.a)}`)
      .join('; ');
    return fail(
      'ptr-fcrdns',
      `PTR does not resolve back to ${ip} (${seen}); FCrDNS fails, which Gmail requires`,
      `Add an A/AAAA record for ${names[0]} pointing to ${ip}, or change the PTR to a name that does.`,
    );
  },
};

/** The HELO name as PTR names are compared with it. */
const heloKey = (helo: string): string => helo.trim().toLowerCase().replace(/\.$/, '');

const ptrHelo: DoctorRule<'ptr'> = {
  id: 'ptr-helo',
  needs: ['ptr'],
  check: ({ ptr, setup: { ip, helo } }) => {
    if (ptr?.lookup.kind !== 'ok' || !ip) return undefined;
    const heloName = heloKey(helo);
    if (ptr.names.includes(heloName)) return pass('ptr-helo', `PTR and HELO agree (${heloName})`);
    return warn(
      'ptr-helo',
      `PTR ${ptr.names.join(', ')} differs from HELO ${heloName}; receivers compare them and score a mismatch`,
      `Use ${ptr.names[0]} as the HELO name, or set the PTR of ${ip} to ${heloName}.`,
    );
  },
};

const ptrDynamic: DoctorRule<'ptr'> = {
  id: 'ptr-dynamic',
  needs: ['ptr'],
  check: ({ ptr, setup: { ip, helo } }) => {
    if (ptr?.lookup.kind !== 'ok' || !ip) return undefined;
    const dynamic = ptr.names.map((n) => ({ n, why: dynamicReason(n, ip) })).find((d) => d.why);
    if (!dynamic?.why) {
      return pass(
        'ptr-dynamic',
        `PTR ${ptr.names[0]} does not look like a dynamic/generic address`,
      );
    }
    const reasons = [
      dynamic.why.word ? `contains "${dynamic.why.word}"` : '',
      dynamic.why.embedsIp ? 'embeds the IP address' : '',
    ]
      .filter(Boolean)
      .join(' and ');
    const fix = `Set a PTR that names your mail server (e.g. ${heloKey(helo)}), not the provider's generic one; send through a relay with a proper PTR if you cannot.`;
    // A keyword is a strong signal (PBL-style listings); an embedded IP alone is generic but sometimes static.
    return (dynamic.why.word ? fail : warn)(
      'ptr-dynamic',
      `PTR ${dynamic.n} looks dynamic/generic (${reasons}); such hosts are widely blocked as end-user networks`,
      fix,
    );
  },
};

/** The sending IP's PTR: exists, FCrDNS, agrees with HELO, not dynamic-looking (or: no IP given). */
export const ptrRules: readonly DoctorRule[] = [ipGiven, ptrExists, ptrFcrdns, ptrHelo, ptrDynamic];
