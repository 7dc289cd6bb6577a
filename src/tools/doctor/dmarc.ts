/**
 * DMARC checks (RFC 7489): the From domain publishes a valid policy, and the
 * From domain aligns with the SPF domain (envelope sender) and/or the DKIM
 * `d=`, so that DMARC can pass at all.
 */
import { alignedRelaxed, alignedStrict } from '../../compose/index.js';
import { organizationalDomain } from '../../wire/index.js';
import { type DoctorCheck, fail, pass, unknown, warn } from './report.js';
import type { DoctorResolver } from './resolver.js';
import type { DoctorRule } from './rule.js';
import { parseTagList } from './tag-list.js';

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

/** The DMARC record that applies to the From domain: its own, or the organizational domain's. */
interface FoundRecord {
  name: string;
  records: string[];
  /** The code of a failed lookup. */
  error?: string;
  /** True when the record is the organizational domain's. */
  inherited: boolean;
}

async function findRecord(dns: DoctorResolver, fromDomain: string): Promise<FoundRecord> {
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

/** What the DMARC rules read. */
export interface DmarcFacts extends FoundRecord {
  /** The one record, parsed, or why it is invalid (absent unless there is exactly one). */
  parsed?: DmarcPolicy | string;
}

/** Looks up the DMARC record that applies to `fromDomain`. */
export async function gatherDmarc(dns: DoctorResolver, fromDomain: string): Promise<DmarcFacts> {
  const found = await findRecord(dns, fromDomain);
  return found.records.length === 1
    ? { ...found, parsed: parseDmarc(found.records[0] ?? '') }
    : found;
}

const policyOf = (dmarc: DmarcFacts): DmarcPolicy | undefined =>
  typeof dmarc.parsed === 'object' ? dmarc.parsed : undefined;

const align = (mode: 'r' | 's', a: string, b: string): boolean =>
  mode === 's' ? alignedStrict(a, b) : alignedRelaxed(a, b);

/** The DKIM d= domain, when a selector was given. */
const dkimDomainOf = (setup: { dkim?: { domain: string } }): string | undefined =>
  setup.dkim?.domain.toLowerCase();

/** A rule over the DMARC facts. */
const dmarcRule = (id: string, check: DoctorRule<'dmarc'>['check']): DoctorRule<'dmarc'> => ({
  id,
  needs: ['dmarc'],
  check,
});

const dmarcRecord = dmarcRule('dmarc-record', ({ dmarc, setup }) => {
  const from = setup.fromDomain;
  if (dmarc.error) return unknown('dmarc-record', `TXT ${dmarc.name}`, dmarc.error);
  if (dmarc.records.length === 0) {
    return fail(
      'dmarc-record',
      `${from} publishes no DMARC record (_dmarc.${from}); Gmail and Yahoo require one from bulk senders`,
      `Publish TXT at _dmarc.${organizationalDomain(from)}: "v=DMARC1; p=none; rua=mailto:dmarc@${organizationalDomain(from)}", then tighten to quarantine/reject.`,
    );
  }
  if (dmarc.records.length > 1) {
    return fail(
      'dmarc-record',
      `${dmarc.name} has ${dmarc.records.length} DMARC records; receivers then apply none (RFC 7489 §6.6.3)`,
      'Keep exactly one DMARC record.',
    );
  }
  if (typeof dmarc.parsed === 'string') {
    return fail(
      'dmarc-record',
      `${dmarc.name} is invalid: ${dmarc.parsed}`,
      'Fix the record (RFC 7489 §6.3), e.g. "v=DMARC1; p=quarantine; rua=mailto:…".',
    );
  }
  return pass(
    'dmarc-record',
    `${dmarc.name}: "${dmarc.records[0]}"${dmarc.inherited ? ` (applies to ${from} as a subdomain)` : ''}`,
  );
});

const dmarcPolicy = dmarcRule('dmarc-policy', ({ dmarc, setup }) => {
  const policy = policyOf(dmarc);
  if (!policy) return undefined;
  const effective = dmarc.inherited ? (policy.sp ?? policy.p) : policy.p;
  if (effective === 'none') {
    return warn(
      'dmarc-policy',
      `policy p=none only monitors: mail that fails DMARC (spoofed ${setup.fromDomain}) is still delivered`,
      'After the aggregate reports show your own mail passing, move to p=quarantine and then p=reject.',
    );
  }
  if (policy.pct < 100) {
    return warn(
      'dmarc-policy',
      `policy ${effective} applies only to pct=${policy.pct}% of failing mail`,
      'Raise pct to 100 (or remove it).',
    );
  }
  return pass('dmarc-policy', `policy ${effective} for mail that fails DMARC`);
});

const dmarcSpfAlignment = dmarcRule('dmarc-spf-alignment', ({ dmarc, setup }) => {
  const { envelopeDomain, fromDomain: from } = setup;
  const aspf = policyOf(dmarc)?.aspf ?? 'r';
  return align(aspf, envelopeDomain, from)
    ? pass(
        'dmarc-spf-alignment',
        `envelope-sender domain ${envelopeDomain} aligns with From ${from} (aspf=${aspf})`,
      )
    : warn(
        'dmarc-spf-alignment',
        `envelope-sender domain ${envelopeDomain} does not align with From ${from} (aspf=${aspf}): an SPF pass does not count for DMARC`,
        `Use a bounce address under ${from}${aspf === 's' ? '' : ' (a subdomain such as bounces.' + from + ' is fine)'}.`,
      );
});

const dmarcDkimAlignment = dmarcRule('dmarc-dkim-alignment', ({ dmarc, setup }) => {
  const dkimDomain = dkimDomainOf(setup);
  if (!dkimDomain) return undefined;
  const from = setup.fromDomain;
  const adkim = policyOf(dmarc)?.adkim ?? 'r';
  return align(adkim, dkimDomain, from)
    ? pass('dmarc-dkim-alignment', `DKIM d=${dkimDomain} aligns with From ${from} (adkim=${adkim})`)
    : warn(
        'dmarc-dkim-alignment',
        `DKIM d=${dkimDomain} does not align with From ${from} (adkim=${adkim}): the signature does not count for DMARC`,
        `Sign with d=${from}${adkim === 's' ? '' : ' or a parent/subdomain of it'}.`,
      );
});

interface AuthOutcome {
  /** SPF result for the sending IP, when it was evaluated. */
  spfPass?: boolean;
  /** False when the DKIM record checks failed. */
  dkimUsable?: boolean;
  /** True when SPF could not be evaluated because a DNS lookup failed. */
  spfUnknown?: boolean;
  /** True when the DKIM record could not be looked up. */
  dkimUnknown?: boolean;
}

/**
 * What the SPF and DKIM checks reported that DMARC depends on: did SPF pass
 * for the IP, is the DKIM record usable, and could either not be looked up.
 */
function authOutcome(earlier: readonly DoctorCheck[], dkimGiven: boolean): AuthOutcome {
  const spf = earlier.filter((c) => c.id.startsWith('spf-'));
  const dkim = earlier.filter((c) => c.id.startsWith('dkim-'));
  const spfResult = spf.find((c) => c.id === 'spf-result');
  const out: AuthOutcome = {
    dkimUsable: dkimGiven ? !dkim.some((c) => c.status === 'fail') : false,
  };
  if (spfResult) out.spfPass = spfResult.status === 'pass';
  else if (spf.some((c) => c.status === 'fail')) out.spfPass = false;
  // A failed lookup says nothing either way: DMARC alignment cannot then be said to pass.
  if (spf.some((c) => c.status === 'unknown')) out.spfUnknown = true;
  if (dkim.some((c) => c.status === 'unknown')) out.dkimUnknown = true;
  return out;
}

const dmarcAligned = dmarcRule('dmarc-aligned', ({ dmarc, setup }, earlier) => {
  const { envelopeDomain, fromDomain: from } = setup;
  const dkimDomain = dkimDomainOf(setup);
  const input = authOutcome(earlier, setup.dkim !== undefined);
  const policy = policyOf(dmarc);
  const spfAligned = align(policy?.aspf ?? 'r', envelopeDomain, from);
  const dkimAligned = !!dkimDomain && align(policy?.adkim ?? 'r', dkimDomain, from);
  const spfCounts = spfAligned && input.spfPass !== false && !input.spfUnknown;
  const dkimCounts = dkimAligned && input.dkimUsable !== false && !input.dkimUnknown;
  // Without the policy (lookup failed) the alignment mode is unknown; relaxed was assumed.
  const modeUnknown =
    dmarc.error !== undefined &&
    (alignedRelaxed(envelopeDomain, from) !== alignedStrict(envelopeDomain, from) ||
      (dkimDomain !== undefined &&
        alignedRelaxed(dkimDomain, from) !== alignedStrict(dkimDomain, from)));
  const spfMaybe = spfAligned && input.spfPass !== false && input.spfUnknown === true;
  const dkimMaybe = dkimAligned && input.dkimUsable !== false && input.dkimUnknown === true;
  if ((spfCounts || dkimCounts) && !modeUnknown) {
    const via = [spfCounts ? 'SPF' : '', dkimCounts ? 'DKIM' : ''].filter(Boolean).join(' and ');
    return pass('dmarc-aligned', `DMARC can pass via ${via}`);
  }
  if (spfCounts || dkimCounts || spfMaybe || dkimMaybe || modeUnknown) {
    const failed = [
      input.spfUnknown ? 'SPF' : '',
      input.dkimUnknown ? 'the DKIM record' : '',
      dmarc.error ? 'the DMARC record' : '',
    ].filter(Boolean);
    return unknown(
      'dmarc-aligned',
      `${failed.join(', ') || 'the DNS records'} (needed to tell whether DMARC can pass)`,
      dmarc.error ?? 'lookup failed',
    );
  }
  return fail(
    'dmarc-aligned',
    `neither an aligned SPF pass nor an aligned DKIM signature is possible for From ${from}: DMARC fails${policy && policy.p !== 'none' ? ` and p=${policy.p} applies` : ''}`,
    `Sign with DKIM d=${from} and/or send with an envelope sender under ${from} from an IP its SPF authorizes.`,
  );
});

/** The From domain's DMARC record and policy, and whether SPF or DKIM can align with From. */
export const dmarcRules: readonly DoctorRule[] = [
  dmarcRecord,
  dmarcPolicy,
  dmarcSpfAlignment,
  dmarcDkimAlignment,
  dmarcAligned,
];
