/**
 * Mixed-script check for domain labels (UTS #39 §5.2 "Highly Restrictive"):
 * a label may use one script, or Latin with the CJK combinations Japanese,
 * Chinese and Korean really use. `аpple` (Cyrillic а + Latin pple) fails.
 *
 * Whole-script confusables (a label entirely in Cyrillic or Greek letters
 * that look Latin, such as `аррӏе`) are caught by {@link wholeScriptConfusableLabel}.
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
function scriptsOf(label: string): Set<Script> {
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

/**
 * Cyrillic and Greek letters that look like a Latin letter, with that letter:
 * a label made only of them is a whole-script confusable (UTS #39 §4; the
 * CVE-2017-5060 class, `раураӏ.com`). Cyrillic: the set Chromium's IDN spoof
 * checker blocks (`cyrillic_letters_latin_alike_` in
 * components/url_formatter/spoof_checks/idn_spoof_checker.cc), lower-cased as
 * IDNA maps them. Greek: letters that Unicode's confusables.txt maps to one
 * Latin letter. A small table, not the full confusables data: it covers the
 * lookalike domains that a contact-form address is spoofed with.
 */
const LATIN_LOOKALIKES: ReadonlyMap<string, string> = new Map([
  // Cyrillic
  ...[...'асԁеһіјӏорԛѕԝхуъьҽпгѵѡ'].map((c, i) => [c, 'acdehijlopqswxybbenrvw'[i]!] as const),
  // Greek
  ...[...'αγινορϲϳ'].map((c, i) => [c, 'ayivopcj'[i]!] as const),
]);

/**
 * Top-level domains where a label in that script is at home: Cyrillic or Greek
 * TLDs (A-labels start with `xn--`, checked by script) and the ASCII ccTLDs of
 * countries that write Cyrillic or Greek (Chromium exempts Cyrillic ones the
 * same way): `сор.ru` is a Russian word, `сор.com` imitates `cop.com`.
 */
const HOME_TLDS: Readonly<Record<'Cyrillic' | 'Greek', ReadonlySet<string>>> = {
  Cyrillic: new Set(['bg', 'by', 'kg', 'kz', 'mk', 'mn', 'rs', 'ru', 'su', 'tj', 'ua', 'uz']),
  Greek: new Set(['gr', 'cy']),
};

/**
 * The first label of an ASCII (A-label) domain written entirely in Cyrillic or
 * Greek letters that look Latin, with the Latin name it imitates; null when
 * there is none.
 *
 * @example
 * ```ts
 * wholeScriptConfusableLabel('xn--80aa0cbo65f.com') // → { label: 'раураӏ', looksLike: 'paypal' }
 * wholeScriptConfusableLabel('xn--e1afmkfd.xn--p1ai') // → null (пример.рф: Cyrillic TLD)
 * ```
 */
export function wholeScriptConfusableLabel(
  asciiDomain: string,
): { label: string; looksLike: string } | null {
  if (!asciiDomain.includes('xn--')) return null;
  const labels = domainToUnicode(asciiDomain).split('.');
  const tld = labels[labels.length - 1]!;
  for (const label of labels) {
    const scripts = scriptsOf(label);
    if (scripts.size !== 1) continue;
    const [script] = scripts;
    if (script !== 'Cyrillic' && script !== 'Greek') continue;
    if (HOME_TLDS[script].has(tld) || scriptsOf(tld).has(script)) continue;
    let looksLike = '';
    for (const ch of label) {
      const latin = LATIN_LOOKALIKES.get(ch);
      if (latin !== undefined) looksLike += latin;
      else if (scriptOf(ch) === null)
        looksLike += ch; // digits and hyphens read the same
      else {
        looksLike = '';
        break;
      }
    }
    if (looksLike !== '') return { label, looksLike };
  }
  return null;
}
