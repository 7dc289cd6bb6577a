/**
 * The hostile-input corpus (test/fixtures/corpus/bad-inputs.json, copied from
 * the project's shared research) and how a case's input is produced. Every
 * test that runs corpus cases reads them through this module.
 */
import { readFileSync } from 'node:fs';

export interface CorpusCase {
  id: string;
  category: string;
  field: string;
  input: string | null;
  generate?: {
    prefix?: string;
    unit?: string;
    times?: number;
    suffix?: string;
    truncate?: number;
    join?: string;
    bytes_hex?: string;
  } | null;
  expected: 'reject' | 'accept' | 'warn';
  error_code?: string | null;
  accept_means?: string | null;
  contexts?: Record<string, string>;
  sources: Array<{ type: string; ref: string; url?: string }>;
}

const data = JSON.parse(
  readFileSync(new URL('../fixtures/corpus/bad-inputs.json', import.meta.url), 'utf8'),
) as { cases: CorpusCase[] };
export const cases: CorpusCase[] = data.cases;

/** The generated units of a case (`{i}` numbered), e.g. the 50,000 recipients. */
export function unitsOf(c: CorpusCase): string[] {
  const g = c.generate;
  if (!g) return c.input === null ? [] : [c.input];
  return Array.from({ length: g.times ?? 1 }, (_, i) =>
    (g.unit ?? '').replaceAll('{i}', String(i)),
  );
}

/** The case's input: the literal, the generated string, or bytes for `bytes_hex` cases. */
export function inputOf(c: CorpusCase): string | Buffer {
  const g = c.generate;
  if (!g) return c.input ?? '';
  if (g.bytes_hex) return Buffer.from(g.bytes_hex, 'hex');
  const s = (g.prefix ?? '') + unitsOf(c).join(g.join ?? '') + (g.suffix ?? '');
  return g.truncate !== undefined ? s.slice(0, g.truncate) : s;
}

/** {@link inputOf} for tests that take text only: null for byte cases. */
export function textInputOf(c: CorpusCase): string | null {
  const v = inputOf(c);
  return typeof v === 'string' ? v : null;
}
