/**
 * "Did you mean …?" for misspelled field and option names (`envelopeform`,
 * `selfcheck`, `fromm`): the known name nearest to the given one, compared
 * case-insensitively by optimal-string-alignment distance (Levenshtein plus
 * adjacent transpositions, the common typing errors).
 */

/** Names longer than this get no suggestion: the distance costs |a|·|b|. */
const MAX_NAME = 64;

/** Optimal string alignment distance; O(|a|·|b|) with both at most {@link MAX_NAME}. */
function distance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      }
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/**
 * The candidate nearest to `name`, or undefined when none is close (more
 * than a third of the longer name differs, at least one edit allowed).
 *
 * @example
 * ```ts
 * nearestName('envelopeform', ['envelopeFrom', 'selfCheck']) // → 'envelopeFrom'
 * nearestName('colour', ['envelopeFrom'])                     // → undefined
 * ```
 */
export function nearestName(name: string, candidates: Iterable<string>): string | undefined {
  if (name.length > MAX_NAME) return undefined;
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = distance(lower, c.toLowerCase());
    const allowed = Math.max(1, Math.floor(Math.max(name.length, c.length) / 3));
    if (d <= allowed && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** `"x"` or `"x" (did you mean "y"?)`. */
export function describeUnknownName(name: string, candidates: Iterable<string>): string {
  const near = nearestName(name, candidates);
  return near === undefined
    ? JSON.stringify(name)
    : `${JSON.stringify(name)} (did you mean "${near}"?)`;
}
