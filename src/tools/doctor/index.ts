/**
 * `doctor()`: checks the DNS side of a sending setup (HELO, PTR, MX, SPF,
 * DKIM, DMARC) and reports pass / warn / fail with the why and the fix.
 */
import { isIP } from 'node:net';
import { isHostname, MailHygieneError } from '../../wire/index.js';
import { checkDkimRecord } from './dkim-record.js';
import { checkDmarc } from './dmarc.js';
import { checkHelo, checkPtr } from './helo-ptr.js';
import { checkMx } from './mx.js';
import { type DoctorCheck, type DoctorReport, makeReport, warn } from './report.js';
import { createDoctorResolver, type DnsLike, type ResolverOptions } from './resolver.js';
import { checkSpf } from './spf.js';

export type { CheckStatus, DoctorCheck, DoctorReport } from './report.js';
export { exitCodeOf, formatReport } from './report.js';
export type { DnsLike, ResolverOptions } from './resolver.js';

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
  const envelopeDomain = domainOf(String(options.envelopeFrom ?? ''), 'envelopeFrom');
  const fromDomain = domainOf(String(options.from ?? ''), 'from');
  const dns = createDoctorResolver(options.resolver);
  const helo = options.helo.trim();
  const { ip } = options;

  const ipChecks = async (): Promise<DoctorCheck[]> =>
    ip
      ? checkPtr(dns, ip, helo)
      : [
          warn(
            'ip',
            'no sending IP given: PTR, FCrDNS and SPF evaluation were skipped',
            'Pass the public IP your mail leaves from (--ip).',
          ),
        ];
  const dkimChecks = async (): Promise<DoctorCheck[]> =>
    options.dkim
      ? checkDkimRecord(dns, options.dkim)
      : [
          warn(
            'dkim-record',
            'no DKIM selector given: DKIM was not checked; Gmail and Yahoo require DKIM from bulk senders',
            'Sign with DKIM (options.dkim) and pass --dkim-selector/--dkim-domain.',
          ),
        ];

  const [heloChecks, ptrChecks, envMx, fromMx, spf, dkim] = await Promise.all([
    checkHelo(dns, helo, ip),
    ipChecks(),
    checkMx(dns, envelopeDomain, 'envelope'),
    fromDomain === envelopeDomain ? Promise.resolve([]) : checkMx(dns, fromDomain, 'from'),
    checkSpf(
      dns,
      ip
        ? { domain: envelopeDomain, envelopeFrom: options.envelopeFrom, helo, ip }
        : { domain: envelopeDomain, envelopeFrom: options.envelopeFrom, helo },
    ),
    dkimChecks(),
  ]);

  const spfResult = spf.find((c) => c.id === 'spf-result');
  const dmarcInput: Parameters<typeof checkDmarc>[1] = {
    fromDomain,
    envelopeDomain,
    dkimUsable: options.dkim ? !dkim.some((c) => c.status === 'fail') : false,
  };
  if (spfResult) dmarcInput.spfPass = spfResult.status === 'pass';
  else if (spf.some((c) => c.status === 'fail')) dmarcInput.spfPass = false;
  // A failed lookup says nothing either way: DMARC alignment cannot then be said to pass.
  if (spf.some((c) => c.status === 'unknown')) dmarcInput.spfUnknown = true;
  if (dkim.some((c) => c.status === 'unknown')) dmarcInput.dkimUnknown = true;
  if (options.dkim) dmarcInput.dkimDomain = options.dkim.domain.toLowerCase();
  const dmarc = await checkDmarc(dns, dmarcInput);

  return makeReport([...heloChecks, ...ptrChecks, ...envMx, ...fromMx, ...spf, ...dkim, ...dmarc]);
}
