/**
 * The shape of a doctor check: a small rule object over DNS data gathered
 * once per run, like lint's rules over one parsed message.
 */
import type { DkimFacts } from './dkim-record.js';
import type { DmarcFacts } from './dmarc.js';
import type { HeloFacts, PtrFacts } from './helo-ptr.js';
import type { MxFacts } from './mx.js';
import type { DoctorCheck } from './report.js';
import type { SpfFacts } from './spf.js';

/** What the caller asked about, validated; the two domains lower-case, without a trailing dot. */
export interface DoctorSetup {
  helo: string;
  ip?: string;
  envelopeFrom: string;
  envelopeDomain: string;
  fromDomain: string;
  dkim?: { selector: string; domain: string; privateKey?: string };
}

/**
 * Everything the rules read, looked up once per run before any rule runs.
 * A group is absent when the setup does not ask for it (no `ip`: no PTR; no
 * DKIM selector: no DKIM record; From in the envelope domain: no second MX).
 */
export interface DoctorFacts {
  setup: DoctorSetup;
  helo: HeloFacts;
  ptr?: PtrFacts;
  envelopeMx: MxFacts;
  fromMx?: MxFacts;
  spf: SpfFacts;
  dkim?: DkimFacts;
  dmarc: DmarcFacts;
}

type FactName = Exclude<keyof DoctorFacts, 'setup'>;

/**
 * One doctor check.
 *
 * **Adding a doctor check.** Write the rule as a `DoctorRule<…>` object beside
 * its group (helo-ptr.ts, mx.ts, spf.ts, dkim-record.ts, dmarc.ts) and put it
 * in the group's rule list at the place its line should appear in the report;
 * index.ts lists the groups in report order. Give it a new kebab-case `id`
 * (ids are stable: scripts and `--json` users match on them; add it to the
 * README's "What is checked" table; test/doctor/rules.test.ts checks both).
 * Name in `needs` the facts it reads: the type of `check` then allows only
 * those (and `setup`); a verdict that depends on other checks reads them from
 * `earlier` (the DMARC rules read the SPF and DKIM verdicts). When it needs DNS data
 * no fact holds yet, add the lookup to the group's `gather…` function (doctor
 * looks everything up before the first rule runs, each query once, answers
 * cached), never to the rule: rules are synchronous and pure. `check` returns
 * the verdict (`pass`/`warn`/`fail`/`unknown` from report.ts), or `undefined`
 * when the check does not apply, e.g. because an earlier check of the group
 * failed and this one would only repeat it. A lookup that failed is
 * `unknown(…)`, never "missing".
 *
 * @example
 * ```ts
 * const heloIp: DoctorRule<'helo'> = {
 *   id: 'helo-ip',
 *   needs: ['helo'],
 *   check: ({ helo, setup }) => (setup.ip ? pass('helo-ip', '…') : undefined),
 * };
 * ```
 */
export interface DoctorRule<K extends FactName = FactName> {
  /** Stable kebab-case id: the `id` of the {@link DoctorCheck} it reports. */
  id: string;
  /** The facts `check` reads. */
  needs: readonly K[];
  /** The verdict, or undefined when the check does not apply. `earlier`: the checks reported before it. */
  check(
    facts: Pick<DoctorFacts, K | 'setup'>,
    earlier: readonly DoctorCheck[],
  ): DoctorCheck | undefined;
}

/** Runs the rules in order over the gathered facts. */
export function runRules(rules: readonly DoctorRule[], facts: DoctorFacts): DoctorCheck[] {
  const checks: DoctorCheck[] = [];
  for (const rule of rules) {
    const check = rule.check(facts, checks);
    if (check) checks.push(check);
  }
  return checks;
}
