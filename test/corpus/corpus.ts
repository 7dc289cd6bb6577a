/** The hostile-input corpus (copied from the project's shared research into test/fixtures). */
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
) as {
  cases: CorpusCase[];
};
export const cases: CorpusCase[] = data.cases;

/** The case's input, generated where the corpus gives a recipe. */
export function inputOf(c: CorpusCase): string | Buffer | string[] {
  const g = c.generate;
  if (!g) return c.input ?? '';
  if (g.bytes_hex) return Buffer.from(g.bytes_hex, 'hex');
  const times = g.times ?? 1;
  if (g.join !== undefined) {
    return Array.from({ length: times }, (_, i) => (g.unit ?? '').replace('{i}', String(i)));
  }
  let s = (g.prefix ?? '') + (g.unit ?? '').repeat(times) + (g.suffix ?? '');
  if (g.truncate !== undefined) s = s.slice(0, g.truncate);
  return s;
}
