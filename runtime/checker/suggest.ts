// "Did you mean …?": the closest candidates by optimal-string-alignment edit distance, within a
// budget that grows with the length of the name (one edit for short names, up to three). Every
// candidate at the smallest distance is offered (`adamq` is one edit from `adam`, `adamp` and
// `adamw`): picking one of them would be a guess the user cannot see.

/** At most this many equally close candidates are offered; more would read as a list of everything. */
export const MAX_SUGGESTIONS = 5;

/** The candidates at the smallest edit distance from `name` (within budget), in the order given. */
export function suggestions(name: string, candidates: readonly string[]): string[] {
  const budget = name.length <= 3 ? 1 : name.length <= 6 ? 2 : 3;
  let best: string[] = [];
  let bestDistance = Infinity;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    // The distance is at least the difference in length: skip hopeless candidates cheaply.
    if (c === name || Math.abs(c.length - name.length) > budget) continue;
    // A case slip (`Adam` for `adam`) is the closest possible miss.
    const d = c.toLowerCase() === lower ? 0.5 : editDistance(lower, c.toLowerCase());
    if (d > budget || d > bestDistance) continue;
    if (d < bestDistance) {
      best = [];
      bestDistance = d;
    }
    if (!best.includes(c)) best.push(c);
  }
  return best.slice(0, MAX_SUGGESTIONS);
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

/** `; did you mean 'x'?`, `; did you mean 'x' or 'y'?`, `; did you mean 'x', 'y' or 'z'?`, or the empty string. */
export function didYouMean(s: string | readonly string[] | undefined): string {
  const list = s === undefined ? [] : typeof s === 'string' ? [s] : s;
  if (list.length === 0) return '';
  const quoted = list.map((x) => `'${x}'`);
  const last = quoted.pop()!;
  return `; did you mean ${quoted.length > 0 ? `${quoted.join(', ')} or ${last}` : last}?`;
}
