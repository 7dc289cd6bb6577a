/**
 * Can the envelope-sender domain receive bounces and the From domain
 * receive replies? MX present (or the RFC 5321 §5.1 A/AAAA fallback), MX
 * hosts that resolve, and a layout without a spam-magnet backup MX.
 */
import { type DoctorCheck, fail, pass, unknown, warn } from './report.js';
import type { DoctorResolver } from './resolver.js';

/**
 * Checks one domain's mail exchangers. `role` names the domain in ids and
 * messages: `envelope` (bounces go here) or `from` (replies go here).
 */
export async function checkMx(
  dns: DoctorResolver,
  domain: string,
  role: 'envelope' | 'from',
): Promise<DoctorCheck[]> {
  const purpose = role === 'envelope' ? 'bounces (envelope sender)' : 'replies (From)';
  const id = (s: string): string => `${role}-mx${s}`;
  const out: DoctorCheck[] = [];
  const mx = await dns.mx(domain);

  if (mx.kind === 'nxdomain') {
    out.push(
      fail(
        id(''),
        `${domain} does not exist (NXDOMAIN): ${purpose} cannot be delivered, and receivers reject senders from non-existent domains`,
        `Use a registered domain you control for ${role === 'envelope' ? 'the envelope sender (Return-Path)' : 'From'}.`,
      ),
    );
    return out;
  }
  if (mx.kind === 'error') {
    out.push(unknown(id(''), `MX ${domain}`, mx.code));
    return out;
  }
  if (mx.kind === 'nodata') {
    const a = await dns.addresses(domain);
    if (a.kind === 'error') {
      out.push(unknown(id(''), `A/AAAA ${domain} (it has no MX)`, a.code));
    } else if (a.kind === 'ok') {
      out.push(
        warn(
          id(''),
          `${domain} has no MX; ${purpose} rely on the A/AAAA fallback (${a.value.join(', ')}), which many senders and filters treat as "cannot receive mail"`,
          `Publish MX records for ${domain}.`,
        ),
      );
    } else {
      out.push(
        fail(
          id(''),
          `${domain} has neither MX nor A/AAAA records: ${purpose} cannot be delivered, and many receivers reject such senders`,
          `Publish MX records for ${domain} pointing to a server that accepts mail for it.`,
        ),
      );
    }
    return out;
  }

  const records = [...mx.value].sort((x, y) => x.priority - y.priority);
  const nullMx =
    records.length === 1 && (records[0]?.exchange === '' || records[0]?.exchange === '.');
  if (nullMx) {
    out.push(
      fail(
        id(''),
        `${domain} publishes a null MX (RFC 7505): it accepts no mail, so ${purpose} bounce and receivers may reject the sender`,
        `Use a domain that receives mail, or replace the null MX with real MX records.`,
      ),
    );
    return out;
  }
  out.push(
    pass(
      id(''),
      `${domain} has MX ${records.map((r) => `${r.priority} ${r.exchange}`).join(', ')}`,
    ),
  );

  const hosts = await Promise.all(
    records.map(async (r) => ({ ...r, a: await dns.addresses(r.exchange) })),
  );
  // A host whose lookup failed is not known to be dead.
  const dead = hosts.filter((h) => h.a.kind === 'nxdomain' || h.a.kind === 'nodata');
  const failed = hosts.find((h) => h.a.kind === 'error');
  if (dead.length === 0 && failed?.a.kind === 'error') {
    out.push(unknown(id('-hosts'), `A/AAAA for MX host ${failed.exchange}`, failed.a.code));
  } else if (dead.length === 0) {
    out.push(pass(id('-hosts'), `every MX host of ${domain} resolves`));
  } else {
    const check = dead.length === hosts.length ? fail : warn;
    out.push(
      check(
        id('-hosts'),
        `MX host(s) without A/AAAA: ${dead.map((h) => h.exchange).join(', ')}`,
        `Publish A/AAAA records for every MX host of ${domain}, or remove the stale MX records.`,
      ),
    );
  }

  const priorities = new Set(records.map((r) => r.priority));
  const single = hosts.length === 1 ? hosts[0] : undefined;
  if (priorities.size > 1) {
    out.push(
      warn(
        id('-layout'),
        `${domain} has a lower-priority backup MX (${records.map((r) => `${r.priority} ${r.exchange}`).join(', ')}); spammers target backup MX hosts, which often lack the primary's recipient checks and filtering and then create backscatter`,
        'Give all MX records the same preference and the same filtering, or drop the backup MX (senders queue and retry for days anyway).',
      ),
    );
  } else if (single && single.a.kind === 'ok' && single.a.value.length > 1) {
    out.push(
      warn(
        id('-layout'),
        `${domain} has one MX host with round-robin addresses (${single.a.value.join(', ')}); senders treat it as one host, so one dead address can delay mail`,
        `Publish one MX record per server with equal preference instead of several A records behind one name.`,
      ),
    );
  } else {
    out.push(
      pass(
        id('-layout'),
        priorities.size === 1 && records.length > 1
          ? `${records.length} MX records share preference ${records[0]?.priority}`
          : `${domain} has a single MX host`,
      ),
    );
  }
  return out;
}
