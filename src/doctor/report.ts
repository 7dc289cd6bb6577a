/** The result shape of `doctor()` and its human-readable rendering. */

export type CheckStatus = 'pass' | 'warn' | 'fail';

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
}

/** Builders that keep check construction short and uniform. */
export const pass = (id: string, message: string): DoctorCheck => ({ id, status: 'pass', message });
export const warn = (id: string, message: string, fix?: string): DoctorCheck =>
  fix === undefined ? { id, status: 'warn', message } : { id, status: 'warn', message, fix };
export const fail = (id: string, message: string, fix?: string): DoctorCheck =>
  fix === undefined ? { id, status: 'fail', message } : { id, status: 'fail', message, fix };

/** Counts failures and warnings. */
export function makeReport(checks: DoctorCheck[]): DoctorReport {
  return {
    checks,
    failures: checks.filter((c) => c.status === 'fail').length,
    warnings: checks.filter((c) => c.status === 'warn').length,
  };
}

/** Exit code of `mailhygiene doctor`: 0 all pass, 1 warnings only, 2 failures. */
export function exitCodeOf(report: DoctorReport): number {
  if (report.failures > 0) return 2;
  if (report.warnings > 0) return 1;
  return 0;
}

const COLORS: Record<CheckStatus, string> = {
  pass: '\x1b[32m',
  warn: '\x1b[33m',
  fail: '\x1b[31m',
};
const RESET = '\x1b[0m';

/**
 * Renders the report for a terminal: one line per check, the fix indented
 * below warnings and failures, a summary line at the end.
 *
 * @example
 * ```ts
 * process.stdout.write(formatReport(report, { color: process.stdout.isTTY }));
 * ```
 */
export function formatReport(report: DoctorReport, options: { color?: boolean } = {}): string {
  const paint = (status: CheckStatus, text: string): string =>
    options.color ? `${COLORS[status]}${text}${RESET}` : text;
  const lines: string[] = [];
  for (const c of report.checks) {
    lines.push(`${paint(c.status, c.status.toUpperCase().padEnd(4))}  ${c.id}: ${c.message}`);
    if (c.fix && c.status !== 'pass') lines.push(`      fix: ${c.fix}`);
  }
  const passed = report.checks.length - report.failures - report.warnings;
  lines.push('');
  lines.push(`${passed} passed, ${report.warnings} warning(s), ${report.failures} failure(s)`);
  return `${lines.join('\n')}\n`;
}
