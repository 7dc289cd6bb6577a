/**
 * SPF record parser (RFC 7208 §4.6, §5, §6, §7 macros). Turns the TXT text
 * into directives and modifiers, or a reason why it is a permerror.
 */
import { isIP } from 'node:net';
import { isHostname } from '../../wire/index.js';

export type Qualifier = '+' | '-' | '~' | '?';

export type Mechanism =
  | { kind: 'all'; qualifier: Qualifier; text: string }
  | { kind: 'include' | 'exists'; qualifier: Qualifier; domain: string; text: string }
  | {
      kind: 'a' | 'mx';
      qualifier: Qualifier;
      domain?: string;
      cidr4: number;
      cidr6: number;
      text: string;
    }
  | { kind: 'ptr'; qualifier: Qualifier; domain?: string; text: string }
  | { kind: 'ip4' | 'ip6'; qualifier: Qualifier; ip: string; prefix: number; text: string };

export interface SpfRecord {
  mechanisms: Mechanism[];
  redirect?: string;
  exp?: string;
}

export type SpfParse = { ok: true; record: SpfRecord } | { ok: false; error: string };

/** True for a TXT string that is an SPF version 1 record (RFC 7208 §4.5). */
export function isSpfRecord(txt: string): boolean {
  return /^v=spf1(?: |$)/i.test(txt);
}

const MACRO = /%(?:\{[slodiphcrtv]\d*r?[.\-+,/_=]*\}|%|_|-)/gi;

/** A domain-spec: macro-string that ends in a plausible domain (RFC 7208 §7.1). */
export function isValidDomainSpec(spec: string): boolean {
  if (spec === '' || /[\s]/.test(spec)) return false;
  const withoutMacros = spec.replace(MACRO, 'x');
  if (withoutMacros.includes('%')) return false; // a stray % is a syntax error
  if (spec.includes('%{')) return /^[\x21-\x7e]+$/.test(spec);
  const d = spec.replace(/\.$/, '');
  const top = d.slice(d.lastIndexOf('.') + 1);
  // Labels may hold `_` (`_spf.example.com`); the top-level one is a host name label with a letter.
  return (
    isHostname(d, { underscore: true, qualified: true }) && isHostname(top) && /[a-z]/i.test(top)
  );
}

const MECHANISM = /^([+\-~?]?)(all|include|exists|a|mx|ptr|ip4|ip6)(?=$|[:/])(.*)$/i;
const MODIFIER = /^([a-z][a-z0-9_.-]*)=(.*)$/i;

function parseCidr(rest: string): { cidr4: number; cidr6: number } | undefined {
  const m = /^(?:\/(\d{1,2}))?(?:\/\/(\d{1,3}))?$/.exec(rest);
  if (!m) return undefined;
  const cidr4 = m[1] === undefined ? 32 : Number(m[1]);
  const cidr6 = m[2] === undefined ? 128 : Number(m[2]);
  if (cidr4 > 32 || cidr6 > 128) return undefined;
  return { cidr4, cidr6 };
}

function parseMechanism(
  q: Qualifier,
  kind: string,
  rest: string,
  text: string,
): Mechanism | string {
  switch (kind) {
    case 'all':
      return rest === '' ? { kind, qualifier: q, text } : `"${text}": all takes no argument`;
    case 'include':
    case 'exists': {
      const domain = rest.startsWith(':') ? rest.slice(1) : '';
      if (!isValidDomainSpec(domain)) return `"${text}": ${kind} needs a valid domain`;
      return { kind, qualifier: q, domain, text };
    }
    case 'a':
    case 'mx': {
      // `[:domain][cidr]`, cut by hand: `^(?::([^/]*))?(.*)$` backtracked quadratically.
      const slash = rest.startsWith(':') ? rest.indexOf('/') : 0;
      const cut = slash === -1 ? rest.length : slash;
      const domain = rest.startsWith(':') ? rest.slice(1, cut) : undefined;
      const cidr = parseCidr(rest.slice(cut));
      if (domain !== undefined && !isValidDomainSpec(domain)) return `"${text}": invalid domain`;
      if (!cidr) return `"${text}": invalid CIDR length`;
      return domain === undefined
        ? { kind, qualifier: q, ...cidr, text }
        : { kind, qualifier: q, domain, ...cidr, text };
    }
    case 'ptr': {
      if (rest === '') return { kind, qualifier: q, text };
      const domain = rest.startsWith(':') ? rest.slice(1) : '';
      if (!isValidDomainSpec(domain)) return `"${text}": invalid domain`;
      return { kind, qualifier: q, domain, text };
    }
    case 'ip4':
    case 'ip6': {
      const m = /^:([^/]+)(?:\/(\d{1,3}))?$/.exec(rest);
      const family = kind === 'ip4' ? 4 : 6;
      if (!m?.[1] || isIP(m[1]) !== family) return `"${text}": invalid IPv${family} address`;
      const prefix = m[2] === undefined ? (family === 4 ? 32 : 128) : Number(m[2]);
      if (prefix > (family === 4 ? 32 : 128)) return `"${text}": invalid prefix length`;
      return { kind, qualifier: q, ip: m[1], prefix, text };
    }
    default:
      return `"${text}": unknown mechanism`;
  }
}

/**
 * Parses an SPF record.
 *
 * @example
 * ```ts
 * parseSpf('v=spf1 ip4:192.0.2.0/24 include:_spf.example.net -all')
 * // { ok: true, record: { mechanisms: [ip4…, include…, all…] } }
 * ```
 */
export function parseSpf(txt: string): SpfParse {
  if (!isSpfRecord(txt)) return { ok: false, error: 'does not start with "v=spf1"' };
  const terms = txt
    .slice(6)
    .split(' ')
    .filter((t) => t !== '');
  const record: SpfRecord = { mechanisms: [] };
  for (const term of terms) {
    const mech = MECHANISM.exec(term);
    if (mech) {
      const q = (mech[1] || '+') as Qualifier;
      const parsed = parseMechanism(q, (mech[2] ?? '').toLowerCase(), mech[3] ?? '', term);
      if (typeof parsed === 'string') return { ok: false, error: parsed };
      record.mechanisms.push(parsed);
      continue;
    }
    const mod = MODIFIER.exec(term);
    if (mod) {
      const name = (mod[1] ?? '').toLowerCase();
      const value = mod[2] ?? '';
      if (name === 'redirect' || name === 'exp') {
        if (record[name] !== undefined)
          return { ok: false, error: `"${name}=" appears more than once` };
        if (!isValidDomainSpec(value)) return { ok: false, error: `"${term}": invalid domain` };
        record[name] = value;
      } else if (value.replace(MACRO, '').includes('%')) {
        return { ok: false, error: `"${term}": invalid macro` };
      }
      // unknown modifiers are ignored (RFC 7208 §6)
      continue;
    }
    return { ok: false, error: `"${term}" is neither a mechanism nor a modifier` };
  }
  return { ok: true, record };
}
