/** What lint() reports: findings are data; only the CLI turns them into text. */

export type Severity = 'error' | 'warning' | 'info';

/** One lint finding. `rule` is a stable id from HYGIENE-RULES.md. */
export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  /** Where: `header From (line 3)`, `part 1.2`, … */
  location?: string;
}

export interface LintReport {
  findings: Finding[];
  errors: number;
  warnings: number;
}
