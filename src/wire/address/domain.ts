/**
 * Domain checks and IDN conversion. `node:url` domainToASCII implements UTS-46
 * (nontransitional); we refuse input that UTS-46 would silently *map* to
 * something else (fullwidth letters, case folding of non-ASCII), because the
 * user would send to a domain they did not type.
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import { MAX_DOMAIN } from '../limits.js';

/**
 * A host name label: letters, digits and hyphens, not starting or ending in a
 * hyphen, 1–63 octets (RFC 1035 §2.3.1 as relaxed by RFC 1123 §2.1; 63 is
 * MAX_LABEL). Each regex here is linear: no quantified group repeats.
 */
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
/** A DNS label that may also hold `_` anywhere (RFC 2181 §11: `_dmarc`, `_spf`, DKIM selectors). */
const DNS_LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/i;
const NUMERIC = /^\d+$/;

export interface HostnameOptions {
  /** Also allow `_` in labels (names that are DNS names but not host names). */
  underscore?: boolean;
  /**
   * Require a fully qualified name: two labels or more, the last of them not
   * all digits (RFC 3696 §2: then it would be an IPv4 address).
   */
  qualified?: boolean;
}

/**
 * The one host name check of the library (ASCII names: IDNs are converted to
 * A-labels first). At most {@link MAX_DOMAIN} octets; every label as
 * {@link LDH_LABEL}; any case. Linear in the length of `name`.
 *
 * @example isHostname('mail.example.org', { qualified: true }) // true
 * @example isHostname('_dmarc.example.org', { underscore: true }) // true
 */
export function isHostname(name: string, options: HostnameOptions = {}): boolean {
  if (name.length === 0 || name.length > MAX_DOMAIN) return false;
  const labels = name.split('.');
  if (options.qualified && (labels.length < 2 || NUMERIC.test(labels[labels.length - 1]!))) {
    return false;
  }
  const label = options.underscore ? DNS_LABEL : LDH_LABEL;
  return labels.every((l) => label.test(l));
}

/** Result: the ASCII domain, or the reason it is refused. */
export type DomainResult = { ok: true; ascii: string } | { ok: false; reason: string };

/**
 * Checks a fully qualified domain and returns its ASCII form.
 * Refuses address literals, single labels, and reserved local suffixes are left to
 * the envelope check (they are valid header addresses).
 */
export function toAsciiDomain(domain: string): DomainResult {
  if (domain.length === 0) return { ok: false, reason: 'the domain is empty' };
  if (domain.length > MAX_DOMAIN * 4) return { ok: false, reason: 'the domain is too long' };
  if (domain.startsWith('[')) return { ok: false, reason: 'address literals are not accepted' };
  const isAscii = !/[^\x21-\x7e]/.test(domain);
  let ascii: string;
  if (isAscii) {
    ascii = domain.toLowerCase();
  } else {
    if (hasDefaultIgnorableOrBidi(domain)) {
      return { ok: false, reason: 'the domain contains invisible or bidi-control characters' };
    }
    ascii = domainToASCII(domain);
    if (ascii === '') return { ok: false, reason: 'the domain is not a valid IDN' };
    // Round trip: what UTS-46 maps (fullwidth, compatibility forms) is refused.
    if (domainToUnicode(ascii) !== domain.normalize('NFC').toLowerCase()) {
      return { ok: false, reason: 'the domain contains characters that IDNA would change' };
    }
  }
  if (ascii.length > MAX_DOMAIN) {
    return { ok: false, reason: `the domain is longer than ${MAX_DOMAIN} octets` };
  }
  const labels = ascii.split('.');
  if (labels.length < 2) return { ok: false, reason: 'the domain is not fully qualified' };
  for (const label of labels) {
    if (!LDH_LABEL.test(label)) {
      return {
        ok: false,
        reason: `the domain label "${label}" is not letters, digits and hyphens`,
      };
    }
    if (label.startsWith('xn--')) {
      // A-labels must decode and re-encode to themselves (no smuggled specials).
      const u = domainToUnicode(label);
      if (u === '' || u === label || domainToASCII(u) !== label) {
        return { ok: false, reason: `the domain label "${label}" is not a valid A-label` };
      }
    } else if (label.length >= 4 && label[2] === '-' && label[3] === '-') {
      return { ok: false, reason: `the domain label "${label}" uses a reserved "??--" prefix` };
    }
  }
  if (NUMERIC.test(labels[labels.length - 1]!)) {
    return { ok: false, reason: 'the top-level label is numeric (an IP address is not a domain)' };
  }
  return { ok: true, ascii };
}

/**
 * Default-ignorable and bidi-control code points: invisible in a UI, so they make
 * look-alike addresses. Set from Unicode DerivedCoreProperties (Default_Ignorable_Code_Point)
 * plus the bidi controls (U+061C, U+200E/F, U+202A–202E, U+2066–2069).
 */
const DEFAULT_IGNORABLE_OR_BIDI =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: a set of single code points, none meant to combine
  /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFF8\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0000}-\u{E0FFF}]/u;

export function hasDefaultIgnorableOrBidi(s: string): boolean {
  return DEFAULT_IGNORABLE_OR_BIDI.test(s);
}

/** Suffixes and names that never route on the public internet (reverse-path check). */
const LOCAL_SUFFIXES = [
  '.local',
  '.lan',
  '.intra',
  '.internal',
  '.localdomain',
  '.localhost',
  '.home.arpa',
];

/**
 * True when the domain cannot receive bounces from the internet:
 * no dot, `localhost`, or a reserved local suffix.
 */
export function isLocalDomain(domain: string): boolean {
  const d = domain.toLowerCase().replace(/\.$/, '');
  if (!d.includes('.')) return true;
  if (d === 'localhost' || d === 'localdomain') return true;
  return LOCAL_SUFFIXES.some((s) => d.endsWith(s));
}
