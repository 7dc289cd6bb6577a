/** Human output of lint reports: grouped by severity, rule id, location, hint. */

import type { Finding, LintReport, Severity } from '../../lint/index.js';
import { formatLocation, plural } from '../../lint/index.js';
import { paint, type Style } from '../paint.js';

/** How each part of the report looks on a terminal. */
const STYLES: Record<Severity | 'dim' | 'bold', Style> = {
  error: 'red',
  warning: 'yellow',
  info: 'cyan',
  dim: 'dim',
  bold: 'bold',
};

const HEADINGS: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Info' };

/**
 * Formats one file's report for a terminal or a log.
 *
 * @example formatReport('mail.eml', lint(raw), { colour: false })
 */
export function formatReport(name: string, report: LintReport, opts: { colour: boolean }): string {
  const c = (k: keyof typeof STYLES, s: string) => paint(STYLES[k], s, opts.colour);
  const infos = report.findings.length - report.errors - report.warnings;
  const summary =
    report.findings.length === 0
      ? 'clean'
      : `${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}, ${infos} info`;
  const lines = [`${c('bold', name)}: ${summary}`];
  for (const sev of ['error', 'warning', 'info'] as const) {
    const group = report.findings.filter((f: Finding) => f.severity === sev);
    if (group.length === 0) continue;
    lines.push(`  ${c(sev, `${HEADINGS[sev]} (${group.length})`)}`);
    for (const f of group) {
      const where = f.location ? c('dim', `  ${formatLocation(f.location)}`) : '';
      lines.push(`    ${c(sev, f.rule)}${where}`);
      lines.push(`      ${f.message}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
