/**
 * DMARC domain alignment (RFC 7489 §3.1): strict is the same domain, relaxed
 * the same organisational domain, which comes from the Public Suffix List
 * (wire/address/org-domain.ts).
 */
import { registrableDomain } from '../../wire/index.js';

/** Lower-cases and removes a trailing dot. */
export function normalizeDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * Relaxed alignment: both domains share the organisational domain and neither
 * is a bare public suffix (so `d=com` or `d=github.io` never aligns with
 * `example.com` or `you.github.io`, RFC 7489 §3.1.1).
 */
export function alignedRelaxed(a: string, b: string): boolean {
  const org = registrableDomain(a);
  return org !== undefined && org === registrableDomain(b);
}

/** Strict alignment: the same domain. */
export function alignedStrict(a: string, b: string): boolean {
  return normalizeDomain(a) === normalizeDomain(b);
}
