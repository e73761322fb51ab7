import { distance } from 'fastest-levenshtein';

/**
 * The known name a typo most likely meant (`ignorecase` → `ignoreCase`), or undefined when none
 * is close: at most a third of the word's letters differ, ignoring case.
 */
export function closestName(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = distance(word.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

/** ` (did you mean \`x\`?)` or nothing. */
export function didYouMean(word: string, known: readonly string[]): string {
  const hit = closestName(word, known);
  return hit ? `; did you mean \`${hit}\`?` : '';
}
