// "Did you mean …?" for misspelt keys and enum values.

/** Edit distance (insertions, deletions, substitutions, adjacent swaps), capped for speed. */
export function editDistance(a: string, b: string, cap = 8): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const prev2: number[] = new Array(b.length + 1).fill(0);
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur: number[] = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    prev2.splice(0, prev2.length, ...prev);
    prev = cur;
    if (rowMin > cap) return cap + 1;
  }
  return prev[b.length]!;
}

const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** The closest candidate that is plausibly what was meant, if any. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  if (input.length > 200) return undefined;
  const sq = squash(input);
  // Same letters, different case or punctuation: "supportemail", "Public-Beta", "developer_preview".
  const sameLetters = candidates.find((c) => squash(c) === sq && sq !== "");
  if (sameLetters) return sameLetters;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(input.toLowerCase(), c.toLowerCase(), 4);
    const allowed = Math.max(1, Math.min(3, Math.floor(Math.max(input.length, c.length) / 3)));
    if (d <= allowed && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
