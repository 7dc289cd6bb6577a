/** The result shape of `doctor()` and its human-readable rendering. */
import { paint, type Style } from '../paint.js';

/**
 * `unknown`: the check could not be made because a DNS lookup failed
 * (SERVFAIL, timeout, refused), as opposed to an answer that the record is
 * not there (NXDOMAIN, NODATA). Never reported as pass or as "missing".
 */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unknown';

/** One verdict: what was checked, the outcome, why, and how to fix it. */
export interface DoctorCheck {
  /** Stable kebab-case id, e.g. `helo-resolves`, `spf-result`. */
  id: string;
  status: CheckStatus;
  /** What was found (the why). */
  message: string;
  /** What to change, for warnings and failures. */
  fix?: string;
}

export interface DoctorReport {
  checks: DoctorCheck[];
  failures: number;
  warnings: number;
  /** Checks that could not be made (a DNS lookup failed). */
  unknowns: number;
}

/** Builders that keep check construction short and uniform. */
export const pass = (id: string, message: string): DoctorCheck => ({ id, status: 'pass', message });
export const warn = (id: string, message: string, fix?: string): DoctorCheck =>
  fix === undefined ? { id, status: 'warn', message } : { id, status: 'warn', message, fix };
export const fail = (id: string, message: string, fix?: string): DoctorCheck =>
  fix === undefined ? { id, status: 'fail', message } : { id, status: 'fail', message, fix };

/** A check that could not be made because the lookup `what` failed (`code`, e.g. ECONNREFUSED). */
export const unknown = (id: string, what: string, code: string): DoctorCheck => ({
  id,
  status: 'unknown',
  message: `could not be checked: the DNS lookup of ${what} failed (${code}), so nothing is known about it`,
  fix: 'Check that the DNS resolver answers (--dns, or a working /etc/resolv.conf) and run doctor again.',
});

/** Counts failures, warnings and checks that could not be made. */
export function makeReport(checks: DoctorCheck[]): DoctorReport {
  return {
    checks,
    failures: checks.filter((c) => c.status === 'fail').length,
    warnings: checks.filter((c) => c.status === 'warn').length,
    unknowns: checks.filter((c) => c.status === 'unknown').length,
  };
}

/**
 * Exit code of `mailhygiene doctor`: 0 all pass, 1 warnings or checks that
 * could not be made (nothing failed, but not all is known to be well), 2 failures.
 */
export function exitCodeOf(report: DoctorReport): number {
  if (report.failures > 0) return 2;
  if (report.warnings > 0 || report.unknowns > 0) return 1;
  return 0;
}

/** How each part of the report looks on a terminal. */
const STYLES: Record<CheckStatus | 'dim' | 'bold', Style> = {
  fail: 'red',
  warn: 'yellow',
  unknown: 'magenta',
  pass: 'green',
  dim: 'dim',
  bold: 'bold',
};

const HEADINGS: Record<CheckStatus, string> = {
  fail: 'Failures',
  warn: 'Warnings',
  unknown: 'Could not be checked',
  pass: 'Passed',
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Renders the report for a terminal in the shape of `lint`'s output: a
 * summary line, then failures and warnings (id, why, fix), then the passed
 * checks one per line.
 *
 * @example
 * ```ts
 * process.stdout.write(formatReport(report, { color: process.stdout.isTTY, title: 'example.com' }));
 * ```
 */
export function formatReport(
  report: DoctorReport,
  options: { color?: boolean; title?: string } = {},
): string {
  const c = (k: keyof typeof STYLES, text: string): string =>
    paint(STYLES[k], text, Boolean(options.color));
  const unknowns = report.unknowns ?? 0;
  const passed = report.checks.length - report.failures - report.warnings - unknowns;
  const lines = [
    `${c('bold', options.title ?? 'sending setup')}: ${plural(report.failures, 'failure')}, ${plural(report.warnings, 'warning')}, ${unknowns ? `${unknowns} not checked (DNS lookup failed), ` : ''}${passed} passed`,
  ];
  for (const status of ['fail', 'warn', 'unknown', 'pass'] as const) {
    const group = report.checks.filter((x) => x.status === status);
    if (group.length === 0) continue;
    lines.push(`  ${c(status, `${HEADINGS[status]} (${group.length})`)}`);
    for (const check of group) {
      if (status === 'pass') {
        lines.push(`    ${c('pass', check.id)}${c('dim', `  ${check.message}`)}`);
        continue;
      }
      lines.push(`    ${c(status, check.id)}`);
      lines.push(`      ${check.message}`);
      if (check.fix) lines.push(`      fix: ${check.fix}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
