/** `plural(1, 'line')` → "1 line", `plural(3, 'line')` → "3 lines" (English, regular nouns only). */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
