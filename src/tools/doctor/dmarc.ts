/**
 * DMARC checks (RFC 7489): the From domain publishes a valid policy, and the
 * From domain aligns with the SPF domain (envelope sender) and/or the DKIM
 * `d=`, so that DMARC can pass at all.
 */
import { alignedRelaxed, alignedStrict } from '../../compose/index.js';
import { organizationalDomain } from '../../wire/index.js';
import { parseTagList } from './dkim-record.js';
import { type DoctorCheck, fail, pass, unknown, warn } from './report.js';
import type { DoctorResolver } from './resolver.js';

export interface DmarcPolicy {
  p: 'none' | 'quarantine' | 'reject';
  sp?: 'none' | 'quarantine' | 'reject';
  adkim: 'r' | 's';
  aspf: 'r' | 's';
  pct: number;
  rua: string[];
}

const POLICIES = new Set(['none', 'quarantine', 'reject']);

/** Parses a DMARC record, or returns why it is invalid. */
export function parseDmarc(text: string): DmarcPolicy | string {
  if (!/^v\s*=\s*DMARC1\s*(;|$)/.test(text)) return 'must start with "v=DMARC1"';
  const tags = parseTagList(text);
  if (!tags) return 'is not a valid tag list';
  const p = tags.get('p')?.toLowerCase();
  if (p === undefined) return 'has no p= policy';
  if (!POLICIES.has(p)) return `p=${p} is not none, quarantine or reject`;
  const sp = tags.get('sp')?.toLowerCase();
  if (sp !== undefined && !POLICIES.has(sp)) return `sp=${sp} is not none, quarantine or reject`;
  const adkim = (tags.get('adkim') ?? 'r').toLowerCase();
  const aspf = (tags.get('aspf') ?? 'r').toLowerCase();
  if (adkim !== 'r' && adkim !== 's') return `adkim=${adkim} is not r or s`;
  if (aspf !== 'r' && aspf !== 's') return `aspf=${aspf} is not r or s`;
  const pctText = tags.get('pct') ?? '100';
  if (!/^\d{1,3}$/.test(pctText) || Number(pctText) > 100) return `pct=${pctText} is not 0-100`;
  const rua = (tags.get('rua') ?? '').split(',').filter(Boolean);
  const badUri = rua.find((u) => !/^(mailto:[^@\s]+@[^@\s]+|https?:\/\/\S+)$/i.test(u));
  if (badUri) return `rua URI "${badUri}" is not mailto:/https:`;
  const policy: DmarcPolicy = {
    p: p as DmarcPolicy['p'],
    adkim,
    aspf,
    pct: Number(pctText),
    rua,
  };
  if (sp !== undefined) policy.sp = sp as DmarcPolicy['p'];
  return policy;
}

export interface DmarcCheckInput {
  fromDomain: string;
  envelopeDomain: string;
  dkimDomain?: string;
  /** SPF result for the sending IP, when it was evaluated. */
  spfPass?: boolean;
  /** False when the DKIM record checks failed. */
  dkimUsable?: boolean;
  /** True when SPF could not be evaluated because a DNS lookup failed. */
  spfUnknown?: boolean;
  /** True when the DKIM record could not be looked up. */
  dkimUnknown?: boolean;
}

async function findRecord(
  dns: DoctorResolver,
  fromDomain: string,
): Promise<{ name: string; records: string[]; error?: string; inherited: boolean }> {
  const candidates = [fromDomain];
  const org = organizationalDomain(fromDomain);
  if (org !== fromDomain) candidates.push(org);
  for (const [i, domain] of candidates.entries()) {
    const name = `_dmarc.${domain}`;
    const txt = await dns.txt(name);
    if (txt.kind === 'error') return { name, records: [], error: txt.code, inherited: i > 0 };
    const records = txt.kind === 'ok' ? txt.value.filter((t) => /^v\s*=\s*DMARC1/i.test(t)) : [];
    if (records.length > 0) return { name, records, inherited: i > 0 };
  }
  return { name: `_dmarc.${fromDomain}`, records: [], inherited: false };
}

/** DMARC record, policy and alignment checks for the From domain. */
export async function checkDmarc(
  dns: DoctorResolver,
  input: DmarcCheckInput,
): Promise<DoctorCheck[]> {
  const out: DoctorCheck[] = [];
  const from = input.fromDomain;
  const found = await findRecord(dns, from);
  let policy: DmarcPolicy | undefined;
  if (found.error) {
    out.push(unknown('dmarc-record', `TXT ${found.name}`, found.error));
  } else if (found.records.length === 0) {
    out.push(
      fail(
        'dmarc-record',
        `${from} publishes no DMARC record (_dmarc.${from}); Gmail and Yahoo require one from bulk senders`,
        `Publish TXT at _dmarc.${organizationalDomain(from)}: "v=DMARC1; p=none; rua=mailto:dmarc@${organizationalDomain(from)}", then tighten to quarantine/reject.`,
      ),
    );
  } else if (found.records.length > 1) {
    out.push(
      fail(
        'dmarc-record',
        `${found.name} has ${found.records.length} DMARC records; receivers then apply none (RFC 7489 §6.6.3)`,
        'Keep exactly one DMARC record.',
      ),
    );
  } else {
    const parsed = parseDmarc(found.records[0] ?? '');
    if (typeof parsed === 'string') {
      out.push(
        fail(
          'dmarc-record',
          `${found.name} is invalid: ${parsed}`,
          'Fix the record (RFC 7489 §6.3), e.g. "v=DMARC1; p=quarantine; rua=mailto:…".',
        ),
      );
    } else {
      policy = parsed;
      out.push(
        pass(
          'dmarc-record',
          `${found.name}: "${found.records[0]}"${found.inherited ? ` (applies to ${from} as a subdomain)` : ''}`,
        ),
      );
      const effective = found.inherited ? (parsed.sp ?? parsed.p) : parsed.p;
      if (effective === 'none') {
        out.push(
          warn(
            'dmarc-policy',
            `policy p=none only monitors: mail that fails DMARC (spoofed ${from}) is still delivered`,
            'After the aggregate reports show your own mail passing, move to p=quarantine and then p=reject.',
          ),
        );
      } else if (parsed.pct < 100) {
        out.push(
          warn(
            'dmarc-policy',
            `policy ${effective} applies only to pct=${parsed.pct}% of failing mail`,
            'Raise pct to 100 (or remove it).',
          ),
        );
      } else {
        out.push(pass('dmarc-policy', `policy ${effective} for mail that fails DMARC`));
      }
    }
  }

  const aspf = policy?.aspf ?? 'r';
  const adkim = policy?.adkim ?? 'r';
  const align = (mode: 'r' | 's', a: string, b: string): boolean =>
    mode === 's' ? alignedStrict(a, b) : alignedRelaxed(a, b);

  const spfAligned = align(aspf, input.envelopeDomain, from);
  out.push(
    spfAligned
      ? pass(
          'dmarc-spf-alignment',
          `envelope-sender domain ${input.envelopeDomain} aligns with From ${from} (aspf=${aspf})`,
        )
      : warn(
          'dmarc-spf-alignment',
          `envelope-sender domain ${input.envelopeDomain} does not align with From ${from} (aspf=${aspf}): an SPF pass does not count for DMARC`,
          `Use a bounce address under ${from}${aspf === 's' ? '' : ' (a subdomain such as bounces.' + from + ' is fine)'}.`,
        ),
  );

  let dkimAligned = false;
  if (input.dkimDomain) {
    dkimAligned = align(adkim, input.dkimDomain, from);
    out.push(
      dkimAligned
        ? pass(
            'dmarc-dkim-alignment',
            `DKIM d=${input.dkimDomain} aligns with From ${from} (adkim=${adkim})`,
          )
        : warn(
            'dmarc-dkim-alignment',
            `DKIM d=${input.dkimDomain} does not align with From ${from} (adkim=${adkim}): the signature does not count for DMARC`,
            `Sign with d=${from}${adkim === 's' ? '' : ' or a parent/subdomain of it'}.`,
          ),
    );
  }

  const spfCounts = spfAligned && input.spfPass !== false && !input.spfUnknown;
  const dkimCounts = dkimAligned && input.dkimUsable !== false && !input.dkimUnknown;
  // Without the policy (lookup failed) the alignment mode is unknown; relaxed was assumed.
  const modeUnknown =
    found.error !== undefined &&
    (alignedRelaxed(input.envelopeDomain, from) !== alignedStrict(input.envelopeDomain, from) ||
      (input.dkimDomain !== undefined &&
        alignedRelaxed(input.dkimDomain, from) !== alignedStrict(input.dkimDomain, from)));
  const spfMaybe = spfAligned && input.spfPass !== false && input.spfUnknown === true;
  const dkimMaybe = dkimAligned && input.dkimUsable !== false && input.dkimUnknown === true;
  if ((spfCounts || dkimCounts) && !modeUnknown) {
    const via = [spfCounts ? 'SPF' : '', dkimCounts ? 'DKIM' : ''].filter(Boolean).join(' and ');
    out.push(pass('dmarc-aligned', `DMARC can pass via ${via}`));
  } else if (spfCounts || dkimCounts || spfMaybe || dkimMaybe || modeUnknown) {
    const failed = [
      input.spfUnknown ? 'SPF' : '',
      input.dkimUnknown ? 'the DKIM record' : '',
      found.error ? 'the DMARC record' : '',
    ].filter(Boolean);
    out.push(
      unknown(
        'dmarc-aligned',
        `${failed.join(', ') || 'the DNS records'} (needed to tell whether DMARC can pass)`,
        found.error ?? 'lookup failed',
      ),
    );
  } else {
    out.push(
      fail(
        'dmarc-aligned',
        `neither an aligned SPF pass nor an aligned DKIM signature is possible for From ${from}: DMARC fails${policy && policy.p !== 'none' ? ` and p=${policy.p} applies` : ''}`,
        `Sign with DKIM d=${from} and/or send with an envelope sender under ${from} from an IP its SPF authorizes.`,
      ),
    );
  }
  return out;
}
