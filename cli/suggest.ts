/**
 * "did you mean …?" for a mistyped option, command or value. The candidates are always the real
 * lists (the parser's options, the commands, the vendor ids), so whatever is added there is covered.
 */
export function closest(typed: string, candidates: readonly string[]): string[] {
  const word = typed.toLowerCase();
  // A one-letter option only matches itself in the other case (-C for -c): every letter is one edit from another.
  const slips = word.length === 1 ? 0 : Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  const scored = candidates.map((candidate) => ({ candidate, distance: editDistance(word, candidate.toLowerCase()) }));
  const best = Math.min(...scored.map((s) => s.distance));
  // The nearest slips only; else what the typed text begins ("--fail" for every --fail-on-… option).
  const near = best <= slips ? scored.filter((s) => s.distance === best) : scored.filter((s) => word.length >= 3 && s.candidate.toLowerCase().startsWith(word));
  return near.slice(0, 3).map((s) => s.candidate);
}

/** "a", "a or b", "a, b or c". */
export function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** Levenshtein distance that counts swapping two neighbours as one edit ("qiuet"). */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i]![j] = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i]![j] = Math.min(rows[i]![j]!, rows[i - 2]![j - 2]! + 1);
    }
  return rows[a.length]![b.length]!;
}
