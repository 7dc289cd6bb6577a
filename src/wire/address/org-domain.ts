/**
 * The organisational domain of DMARC (RFC 7489 §3.2): the registrable domain
 * under the longest matching public suffix, from the Public Suffix List
 * (through `tldts`, which embeds the list). One function for lint, DKIM and
 * doctor; before it there were two guesses (last two labels, or three under a
 * hand-kept `co.uk`-style set) that disagreed on `shop.example.ltd.uk` and
 * were both wrong under private suffixes such as `github.io`.
 *
 * Both sections of the list, ICANN and PRIVATE: RFC 7489 §3.2 asks for "a
 * public suffix list" without naming a section, and receivers use the whole
 * file (OpenDMARC and Mail::DMARC read it as published; operators add
 * private entries such as `gaggle.email` to the PSL precisely so that DMARC
 * treats their users as separate organisations). So `a.b.github.io` belongs
 * to `b.github.io`, never to GitHub's `github.io`. (DMARCbis replaces the
 * list by a DNS tree walk; that needs DNS, which lint and compose never do.)
 *
 * tldts (its list is ~130 KB of code) is loaded on the first call, as
 * iconv-lite is: the sendmail shim starts for every PHP mail, and repair()
 * does not need the list.
 */
import { createRequire } from 'node:module';
import { domainToASCII } from 'node:url';

interface Tldts {
  getDomain(hostname: string, options: Record<string, boolean>): string | null;
}

let tldts: Tldts | undefined;

/**
 * Private suffixes count; the input is a host name (never parsed as a URL:
 * `evil.example/x.example.com` is not `example.com`); its syntax is not
 * judged here (lint reports bad domains itself, this only groups them); an
 * IP address has no organisational domain.
 */
const OPTIONS = Object.freeze({
  allowPrivateDomains: true,
  extractHostname: false,
  validateHostname: false,
  detectIp: true,
});

/** Lower-case, no trailing dot, A-labels (so `bücher.de` and `xn--bcher-kva.de` are one). */
function canonical(domain: string): string {
  const d = domain.trim().toLowerCase().replace(/\.$/, '');
  if (!/[^\x00-\x7f]/.test(d)) return d;
  return domainToASCII(d) || d;
}

/**
 * The registrable domain under the Public Suffix List, or undefined when
 * there is none: a public suffix itself (`com`, `co.uk`, `github.io`), a
 * single label (`localhost`), an IP address or address literal. An unknown
 * top-level domain counts as a one-label suffix (the list's `*` rule).
 *
 * @example
 * ```ts
 * registrableDomain('shop.example.ltd.uk') // 'example.ltd.uk'
 * registrableDomain('a.b.github.io')       // 'b.github.io'
 * registrableDomain('github.io')           // undefined
 * ```
 */
export function registrableDomain(domain: string): string | undefined {
  const d = canonical(domain);
  if (d === '' || d.startsWith('[')) return undefined;
  tldts ??= createRequire(import.meta.url)('tldts') as Tldts;
  return tldts.getDomain(d, OPTIONS) ?? undefined;
}

/**
 * The organisational domain for comparing domains (DMARC relaxed alignment,
 * "is this a foreign domain"): {@link registrableDomain}, else the domain
 * itself (lower-case, A-labels), so that a suffix or an IP address equals
 * only itself.
 *
 * @example
 * ```ts
 * organizationalDomain('mail.news.example.com') // 'example.com'
 * organizationalDomain('192.0.2.1')             // '192.0.2.1'
 * ```
 */
export function organizationalDomain(domain: string): string {
  return registrableDomain(domain) ?? canonical(domain);
}

/**
 * True when two domains have one organisational domain. Decides without the
 * list (so without loading it) where it can: the same domain, or different
 * top-level labels. The sendmail shim lints every PHP mail against its
 * envelope, whose bounce domain is usually the From domain itself.
 */
export function sameOrganizationalDomain(a: string, b: string): boolean {
  const ca = canonical(a);
  const cb = canonical(b);
  if (ca === cb) return true;
  if (ca.slice(ca.lastIndexOf('.') + 1) !== cb.slice(cb.lastIndexOf('.') + 1)) return false;
  return organizationalDomain(ca) === organizationalDomain(cb);
}
