/**
 * HELO and reverse-DNS checks: receivers (Gmail, Yahoo, most MTAs) want a
 * HELO name that is a real, resolving FQDN, a PTR for the sending IP that
 * resolves back to it (FCrDNS), agreement between the two, and no name that
 * looks like a dial-up or dynamic pool address.
 */
import { isIP } from 'node:net';
import { isHostname } from '../../wire/index.js';
import { type DoctorCheck, fail, pass, unknown, warn } from './report.js';
import { type DoctorResolver, type Lookup, reverseName, sameIp } from './resolver.js';

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

/** Checks the HELO name on its own (FQDN, resolves, includes ip). */
export async function checkHelo(
  dns: DoctorResolver,
  helo: string,
  ip?: string,
): Promise<DoctorCheck[]> {
  const out: DoctorCheck[] = [];
  const name = helo.trim().replace(/\.$/, '');
  if (/^\[.*\]$/.test(name)) {
    out.push(
      warn(
        'helo-fqdn',
        `HELO ${name} is an address literal; allowed by RFC 5321 but scored as suspicious by many receivers`,
        'Use the fully-qualified host name the sending IP\'s PTR points to, e.g. "mail.example.com".',
      ),
    );
    return out;
  }
  if (!isHeloHostname(name) || LOCAL_SUFFIX.test(name)) {
    out.push(
      fail(
        'helo-fqdn',
        `HELO "${helo}" is not a public fully-qualified domain name; strict receivers reject it (e.g. Postfix reject_non_fqdn_helo_hostname)`,
        "Configure the MTA's HELO/EHLO name (Postfix: smtp_helo_name / myhostname) to a public FQDN such as mail.example.com.",
      ),
    );
    return out;
  }
  out.push(pass('helo-fqdn', `HELO ${name} is a fully-qualified domain name`));

  const addrs = await dns.addresses(name);
  if (addrs.kind === 'error') {
    out.push(unknown('helo-resolves', `A/AAAA for HELO ${name}`, addrs.code));
    return out;
  }
  if (addrs.kind !== 'ok') {
    out.push(
      fail(
        'helo-resolves',
        `HELO ${name} has no A/AAAA record: ${describeFailure(addrs)}`,
        `Publish an A (and AAAA for IPv6) record for ${name} pointing to the sending IP.`,
      ),
    );
    return out;
  }
  out.push(pass('helo-resolves', `HELO ${name} resolves to ${addrs.value.join(', ')}`));
  if (ip) {
    if (addrs.value.some((a) => sameIp(a, ip))) {
      out.push(pass('helo-ip', `HELO ${name} resolves to the sending IP ${ip}`));
    } else {
      out.push(
        fail(
          'helo-ip',
          `HELO ${name} resolves to ${addrs.value.join(', ')}, not to the sending IP ${ip}`,
          `Point ${name} at ${ip}, or use as HELO the name that does.`,
        ),
      );
    }
  }
  return out;
}

/** Checks the sending IP's PTR: exists, FCrDNS, agrees with HELO, not dynamic-looking. */
export async function checkPtr(
  dns: DoctorResolver,
  ip: string,
  helo: string,
): Promise<DoctorCheck[]> {
  const out: DoctorCheck[] = [];
  const ptr = await dns.ptr(ip);
  if (ptr.kind === 'error') {
    out.push(unknown('ptr-exists', `PTR ${reverseName(ip)}`, ptr.code));
    return out;
  }
  if (ptr.kind !== 'ok') {
    out.push(
      fail(
        'ptr-exists',
        `${ip} has no PTR record (${reverseName(ip)}: ${describeFailure(ptr)}); Gmail and Yahoo reject or throttle mail from IPs without reverse DNS`,
        `Ask whoever owns ${ip} (hosting provider / ISP) to set its PTR to your mail host name, e.g. ${helo}.`,
      ),
    );
    return out;
  }
  const names = ptr.value.map((n) => n.toLowerCase().replace(/\.$/, ''));
  out.push(pass('ptr-exists', `${ip} has PTR ${names.join(', ')}`));

  const forward = await Promise.all(names.map(async (n) => ({ n, a: await dns.addresses(n) })));
  const confirmed = forward
    .filter((f) => f.a.kind === 'ok' && f.a.value.some((x) => sameIp(x, ip)))
    .map((f) => f.n);
  const failedLookup = forward.find((f) => f.a.kind === 'error');
  if (confirmed.length > 0) {
    out.push(
      pass('ptr-fcrdns', `forward-confirmed reverse DNS: ${confirmed[0]} resolves back to ${ip}`),
    );
  } else if (failedLookup?.a.kind === 'error') {
    out.push(unknown('ptr-fcrdns', `A/AAAA for ${failedLookup.n}`, failedLookup.a.code));
  } else {
    const seen = forward
      .map((f) => `${f.n} → ${f.a.kind === 'ok' ? f.a.value.join(', ') : describeFailure(f.a)}`)
      .join('; ');
    out.push(
      fail(
        'ptr-fcrdns',
        `PTR does not resolve back to ${ip} (${seen}); FCrDNS fails, which Gmail requires`,
        `Add an A/AAAA record for ${names[0]} pointing to ${ip}, or change the PTR to a name that does.`,
      ),
    );
  }

  const heloName = helo.trim().toLowerCase().replace(/\.$/, '');
  if (names.includes(heloName)) {
    out.push(pass('ptr-helo', `PTR and HELO agree (${heloName})`));
  } else {
    out.push(
      warn(
        'ptr-helo',
        `PTR ${names.join(', ')} differs from HELO ${heloName}; receivers compare them and score a mismatch`,
        `Use ${names[0]} as the HELO name, or set the PTR of ${ip} to ${heloName}.`,
      ),
    );
  }

  const dynamic = names.map((n) => ({ n, why: dynamicReason(n, ip) })).find((d) => d.why);
  if (!dynamic?.why) {
    out.push(pass('ptr-dynamic', `PTR ${names[0]} does not look like a dynamic/generic address`));
  } else {
    const reasons = [
      dynamic.why.word ? `contains "${dynamic.why.word}"` : '',
      dynamic.why.embedsIp ? 'embeds the IP address' : '',
    ]
      .filter(Boolean)
      .join(' and ');
    const fix = `Set a PTR that names your mail server (e.g. ${heloName}), not the provider's generic one; send through a relay with a proper PTR if you cannot.`;
    // A keyword is a strong signal (PBL-style listings); an embedded IP alone is generic but sometimes static.
    out.push(
      (dynamic.why.word ? fail : warn)(
        'ptr-dynamic',
        `PTR ${dynamic.n} looks dynamic/generic (${reasons}); such hosts are widely blocked as end-user networks`,
        fix,
      ),
    );
  }
  return out;
}
