/**
 * Relaxed domain alignment (the DMARC notion, RFC 7489 §3.1) without a
 * Public Suffix List: the organizational domain is guessed as the last two
 * labels, or the last three under well-known two-level suffixes (co.uk,
 * com.au, …). Good enough to catch a signing domain that belongs to someone
 * else; not a full PSL implementation.
 */

const SECOND_LEVEL = new Set([
  'co',
  'com',
  'net',
  'org',
  'gov',
  'edu',
  'ac',
  'ne',
  'or',
  'go',
  'ltd',
  'plc',
  'sch',
]);

/** Lower-cases and removes a trailing dot. */
export function normalizeDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * Heuristic organizational domain.
 *
 * @example
 * ```ts
 * organizationalDomain('mail.news.example.com') // 'example.com'
 * organizationalDomain('shop.example.co.uk')    // 'example.co.uk'
 * ```
 */
export function organizationalDomain(domain: string): string {
  const labels = normalizeDomain(domain).split('.');
  if (labels.length <= 2) return labels.join('.');
  const tld = labels[labels.length - 1] ?? '';
  const second = labels[labels.length - 2] ?? '';
  const take = tld.length === 2 && SECOND_LEVEL.has(second) ? 3 : 2;
  return labels.slice(-take).join('.');
}

/** True when `child` equals `parent` or is a subdomain of it. */
export function isSameOrSubdomain(child: string, parent: string): boolean {
  const c = normalizeDomain(child);
  const p = normalizeDomain(parent);
  return c === p || c.endsWith(`.${p}`);
}

/**
 * Relaxed alignment: both domains share the organizational domain and neither
 * is a bare public suffix (so `d=com` never aligns with `example.com`).
 */
export function alignedRelaxed(a: string, b: string): boolean {
  const orgA = organizationalDomain(a);
  const orgB = organizationalDomain(b);
  if (orgA !== orgB || !orgA.includes('.')) return false;
  return isSameOrSubdomain(a, orgA) && isSameOrSubdomain(b, orgB);
}

/** Strict alignment: the same domain. */
export function alignedStrict(a: string, b: string): boolean {
  return normalizeDomain(a) === normalizeDomain(b);
}
