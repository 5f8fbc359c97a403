// "Did you mean …?" for unknown manifest fields: optimal-string-alignment distance (Levenshtein
// plus adjacent transpositions, the restricted Damerau form), case-insensitive.

/** Edit distance counting insertions, deletions, substitutions and adjacent swaps as 1 each. */
export function editDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  // rows[i][j] = distance between a[0..i) and b[0..j); three rolling rows suffice for OSA.
  let prev2: number[] = new Array<number>(m + 1).fill(0);
  let prev: number[] = Array.from({ length: m + 1 }, (_, j) => j);
  for (let i = 1; i <= n; i++) {
    const cur: number[] = new Array<number>(m + 1).fill(0);
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (prev2[j - 2] ?? 0) + 1);
      }
      cur[j] = best;
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[m] ?? 0;
}

/**
 * The known name closest to `unknown`, if it is close enough to be a plausible typo: at most 1 edit
 * for names up to 4 characters, 2 up to 8, else 3 — or the same name in another letter case.
 * Ties are broken by the order of `known` (declaration order), so the answer is deterministic.
 */
export function suggestName(unknown: string, known: readonly string[]): string | undefined {
  const lower = unknown.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const allowed = unknown.length <= 4 ? 1 : unknown.length <= 8 ? 2 : 3;
  return bestDistance <= allowed ? best : undefined;
}
