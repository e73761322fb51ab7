/**
 * Benjamini–Hochberg (1995) adjusted p-values, controlling the false discovery rate across the
 * suite × variant comparisons of one run: testing many variants at α each would otherwise flag
 * a noise "regression" somewhere in most large runs.
 *
 * Step-up: sort the m p-values ascending, p̃₍ᵢ₎ = min over j ≥ i of (m / j)·p₍ⱼ₎, capped at 1;
 * a hypothesis is rejected at FDR α when its adjusted p-value is below α. `null` entries (no
 * test possible) are passed through and do not count towards m.
 */
export function benjaminiHochberg(pValues: ReadonlyArray<number | null>): Array<number | null> {
  const idx: number[] = [];
  pValues.forEach((p, i) => {
    if (p !== null) {
      if (!(p >= 0 && p <= 1)) throw new RangeError(`benjaminiHochberg: p-value out of [0, 1]: ${p}`);
      idx.push(i);
    }
  });
  const m = idx.length;
  const out: Array<number | null> = pValues.map(() => null);
  if (m === 0) return out;
  idx.sort((a, b) => pValues[a]! - pValues[b]!);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const i = idx[rank - 1]!;
    running = Math.min(running, (m / rank) * pValues[i]!);
    out[i] = Math.min(1, running);
  }
  return out;
}
