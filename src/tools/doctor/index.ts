/**
 * `doctor()`: checks the DNS side of a sending setup (HELO, PTR, MX, SPF,
 * DKIM, DMARC) and reports pass / warn / fail with the why and the fix.
 */
import { isIP } from 'node:net';
import { isHostname, MailHygieneError } from '../../wire/index.js';
import { dkimRules, gatherDkim } from './dkim-record.js';
import { dmarcRules, gatherDmarc } from './dmarc.js';
import { gatherHelo, gatherPtr, heloRules, ptrRules } from './helo-ptr.js';
import { gatherMx, mxRules } from './mx.js';
import { type DoctorReport, makeReport } from './report.js';
import {
  createDoctorResolver,
  type DnsLike,
  type DoctorResolver,
  type ResolverOptions,
} from './resolver.js';
import { type DoctorFacts, type DoctorRule, type DoctorSetup, runRules } from './rule.js';
import { gatherSpf, spfRules } from './spf.js';

export type { CheckStatus, DoctorCheck, DoctorReport } from './report.js';
export { exitCodeOf, formatReport } from './report.js';
export type { DnsLike, ResolverOptions } from './resolver.js';
export type { DoctorRule } from './rule.js';

/**
 * Every check, in report order: HELO, PTR, MX of the envelope and the From
 * domain, SPF, DKIM, DMARC. The DMARC rules come last because they read what
 * the SPF and DKIM checks reported.
 */
export const doctorRules: readonly DoctorRule[] = [
  ...heloRules,
  ...ptrRules,
  ...mxRules('envelope'),
  ...mxRules('from'),
  ...spfRules,
  ...dkimRules,
  ...dmarcRules,
];

export interface DoctorOptions {
  /** The name the MTA sends in HELO/EHLO. */
  helo: string;
  /** The public IP mail leaves from. Without it, PTR and SPF evaluation are skipped. */
  ip?: string;
  /** The envelope sender (MAIL FROM / Return-Path) address. */
  envelopeFrom: string;
  /** The From address (`a@b.example` or `Name <a@b.example>`). */
  from: string;
  dkim?: { selector: string; domain: string; privateKey?: string };
  /** DNS servers + timeout, or a resolver object (e.g. a `dns.promises.Resolver`). */
  resolver?: ResolverOptions | DnsLike;
}

function domainOf(address: string, field: string): string {
  const angle = /<([^<>]*)>\s*$/.exec(address);
  const addr = (angle ? angle[1] : address)?.trim() ?? '';
  const at = addr.lastIndexOf('@');
  const domain =
    at > 0
      ? addr
          .slice(at + 1)
          .toLowerCase()
          .replace(/\.$/, '')
      : '';
  if (!isHostname(domain, { underscore: true, qualified: true })) {
    throw new MailHygieneError(
      'INVALID_OPTIONS',
      `${field} "${address}" is not an address with a domain`,
      { field },
    );
  }
  return domain;
}

/**
 * Checks the sending setup in DNS.
 *
 * @example
 * ```ts
 * const report = await doctor({
 *   helo: 'mail.example.com', ip: '192.0.2.10',
 *   envelopeFrom: 'bounces@example.com', from: 'news@example.com',
 *   dkim: { selector: 's1', domain: 'example.com' },
 *   resolver: { servers: ['9.9.9.9'], timeoutMs: 3000 },
 * });
 * for (const c of report.checks) console.log(c.status, c.id, c.message);
 * ```
 */
export async function doctor(options: DoctorOptions): Promise<DoctorReport> {
  if (!options || typeof options !== 'object') {
    throw new MailHygieneError('INVALID_OPTIONS', 'doctor options must be an object', {
      field: 'options',
    });
  }
  if (typeof options.helo !== 'string' || options.helo.trim() === '') {
    throw new MailHygieneError('INVALID_OPTIONS', 'helo is required', { field: 'helo' });
  }
  if (options.ip !== undefined && isIP(options.ip) === 0) {
    throw new MailHygieneError('INVALID_OPTIONS', `ip "${options.ip}" is not an IP address`, {
      field: 'ip',
    });
  }
  const setup: DoctorSetup = {
    helo: options.helo.trim(),
    envelopeFrom: options.envelopeFrom,
    envelopeDomain: domainOf(String(options.envelopeFrom ?? ''), 'envelopeFrom'),
    fromDomain: domainOf(String(options.from ?? ''), 'from'),
  };
  if (options.ip !== undefined) setup.ip = options.ip;
  if (options.dkim) setup.dkim = options.dkim;
  const facts = await gatherFacts(createDoctorResolver(options.resolver), setup);
  return makeReport(runRules(doctorRules, facts));
}

/** Every DNS answer the rules read, looked up concurrently before any rule runs. */
async function gatherFacts(dns: DoctorResolver, setup: DoctorSetup): Promise<DoctorFacts> {
  const { helo, ip, envelopeDomain, fromDomain, dkim } = setup;
  const [heloFacts, ptr, envelopeMx, fromMx, spf, dkimFacts, dmarc] = await Promise.all([
    gatherHelo(dns, helo),
    ip ? gatherPtr(dns, ip) : undefined,
    gatherMx(dns, envelopeDomain),
    fromDomain === envelopeDomain ? undefined : gatherMx(dns, fromDomain),
    gatherSpf(
      dns,
      ip
        ? { domain: envelopeDomain, envelopeFrom: setup.envelopeFrom, helo, ip }
        : { domain: envelopeDomain, envelopeFrom: setup.envelopeFrom, helo },
    ),
    dkim ? gatherDkim(dns, dkim) : undefined,
    gatherDmarc(dns, fromDomain),
  ]);
  const facts: DoctorFacts = { setup, helo: heloFacts, envelopeMx, spf, dmarc };
  if (ptr) facts.ptr = ptr;
  if (fromMx) facts.fromMx = fromMx;
  if (dkimFacts) facts.dkim = dkimFacts;
  return facts;
}
