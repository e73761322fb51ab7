import { distance } from 'fastest-levenshtein';

/**
 * The known name a typo most likely meant (`ignorecase` → `ignoreCase`), or undefined when none
 * is close: at most a third of the word's letters differ, ignoring case.
 */
export function closestName(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const a = word.toLowerCase();
    const b = k.toLowerCase();
    // Two swapped neighbours (`modle` → `model`) are one slip, not two edits.
    const d = swapsToEqual(a, b) ? 1 : distance(a, b);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

/** Whether `a` becomes `b` by swapping one pair of adjacent letters. */
function swapsToEqual(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  let i = 0;
  while (a[i] === b[i]) i++;
  return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/** ` (did you mean \`x\`?)` or nothing. */
export function didYouMean(word: string, known: readonly string[]): string {
  const hit = closestName(word, known);
  return hit ? `; did you mean \`${hit}\`?` : '';
}
