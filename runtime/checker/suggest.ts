// "Did you mean …?": the closest candidate by optimal-string-alignment edit distance, within a
// budget that grows with the length of the name (one edit for short names, up to three).

export function suggest(name: string, candidates: readonly string[]): string | undefined {
  const budget = name.length <= 3 ? 1 : name.length <= 6 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    // The distance is at least the difference in length: skip hopeless candidates cheaply.
    if (c === name || Math.abs(c.length - name.length) > budget) continue;
    // A case slip (`Adam` for `adam`) is the closest possible miss.
    const d = c.toLowerCase() === lower ? 0.5 : editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= budget ? best : undefined;
}

/** Levenshtein distance where swapping two adjacent characters counts as one edit. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      d[i * cols + j] = v;
    }
  }
  return at(a.length, b.length);
}

/** `; did you mean 'x'?` or the empty string. */
export function didYouMean(s: string | undefined): string {
  return s === undefined ? '' : `; did you mean '${s}'?`;
}
