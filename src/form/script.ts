/**
 * Mixed-script check for domain labels (UTS #39 §5.2 "Highly Restrictive"):
 * a label may use one script, or Latin with the CJK combinations Japanese,
 * Chinese and Korean really use. `аpple` (Cyrillic а + Latin pple) fails.
 *
 * Whole-script confusables (a label entirely in Cyrillic that *looks* Latin,
 * such as `аррӏе`) are NOT caught: that needs the Unicode confusables table.
 */
import { domainToUnicode } from 'node:url';

/** Scripts told apart by name; a letter in none of them counts as its own script "Other". */
const SCRIPTS = [
  'Latin',
  'Greek',
  'Cyrillic',
  'Armenian',
  'Hebrew',
  'Arabic',
  'Syriac',
  'Thaana',
  'Devanagari',
  'Bengali',
  'Gurmukhi',
  'Gujarati',
  'Oriya',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Sinhala',
  'Thai',
  'Lao',
  'Tibetan',
  'Myanmar',
  'Georgian',
  'Hangul',
  'Ethiopic',
  'Cherokee',
  'Khmer',
  'Mongolian',
  'Hiragana',
  'Katakana',
  'Bopomofo',
  'Han',
  'Coptic',
  'Canadian_Aboriginal',
] as const;

type Script = (typeof SCRIPTS)[number] | 'Other';

const SCRIPT_RE = SCRIPTS.map((s) => [s, new RegExp(`^\\p{Script=${s}}$`, 'u')] as const);
/** Digits, punctuation, combining marks: they belong to every script. */
const NEUTRAL = /^[\p{Script=Common}\p{Script=Inherited}]$/u;

/** Script sets UTS #39 "Highly Restrictive" allows in one label. */
const ALLOWED_MIXES: ReadonlyArray<ReadonlySet<Script>> = [
  new Set<Script>(['Latin', 'Han', 'Hiragana', 'Katakana']),
  new Set<Script>(['Latin', 'Han', 'Bopomofo']),
  new Set<Script>(['Latin', 'Han', 'Hangul']),
];

function scriptOf(ch: string): Script | null {
  if (NEUTRAL.test(ch)) return null;
  for (const [name, re] of SCRIPT_RE) if (re.test(ch)) return name;
  return 'Other';
}

/** The scripts of `label`'s letters (neutral characters ignored). */
export function scriptsOf(label: string): Set<Script> {
  const out = new Set<Script>();
  for (const ch of label) {
    const s = scriptOf(ch);
    if (s) out.add(s);
  }
  return out;
}

/** True when the label mixes scripts in a way real names do not. */
export function isMixedScriptLabel(label: string): boolean {
  const scripts = scriptsOf(label);
  if (scripts.size <= 1) return false;
  return !ALLOWED_MIXES.some((allowed) => [...scripts].every((s) => allowed.has(s)));
}

/**
 * The first label of an ASCII (A-label) domain whose Unicode form mixes
 * scripts, or null.
 *
 * @example
 * ```ts
 * mixedScriptLabel('xn--pple-43d.com') // → 'аpple' (Cyrillic а)
 * mixedScriptLabel('xn--bcher-kva.example') // → null (bücher: Latin only)
 * ```
 */
export function mixedScriptLabel(asciiDomain: string): string | null {
  if (!asciiDomain.includes('xn--')) return null;
  for (const label of domainToUnicode(asciiDomain).split('.')) {
    if (isMixedScriptLabel(label)) return label;
  }
  return null;
}
