// Exponential moving average as TensorBoard draws it: debiased, so the first points are not pulled
// towards zero, and non-finite values pass through without touching the average.
// Pure: no DOM, no `vscode`.

/** `weight` is in [0, 1): 0 returns the values unchanged. */
export function smooth(values: readonly number[], weight: number): number[] {
  if (!(weight > 0)) return [...values];
  const w = Math.min(weight, 0.999);
  // NOTE: TensorBoard skips smoothing of constant series, where the debiasing would only add rounding noise.
  const first = values[0];
  if (values.every((v) => v === first)) return [...values];
  const out: number[] = [];
  let last = 0;
  let n = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) {
      out.push(v);
      continue;
    }
    last = last * w + (1 - w) * v;
    n++;
    out.push(last / (1 - Math.pow(w, n)));
  }
  return out;
}

/** smooth() of a series that only grows, kept from one redraw to the next. */
export interface Smoothed {
  readonly weight: number;
  /** smooth(values so far, weight). */
  readonly values: number[];
  /** The EMA's state after the last finite value, and whether every value so far equals the first. */
  readonly state: { last: number; n: number; constant: boolean };
}

/**
 * The same numbers as smooth(values, weight), computing only what `previous` lacks when it was
 * made with the same weight from a prefix of `values` (a live run appends; anything else starts over).
 */
export function smoothAppended(previous: Smoothed | undefined, values: readonly number[], weight: number): Smoothed {
  const fresh = !previous || previous.weight !== weight || previous.values.length > values.length;
  const s: Smoothed = fresh ? { weight, values: [], state: { last: 0, n: 0, constant: true } } : previous;
  if (!(weight > 0)) {
    for (let i = s.values.length; i < values.length; i++) s.values.push(values[i]!);
    return s;
  }
  const w = Math.min(weight, 0.999);
  const first = values[0];
  for (let i = s.values.length; i < values.length; i++) {
    const v = values[i]!;
    if (s.state.constant && v !== first) {
      // The series stops being constant here: smooth() smooths all of it then, the start included.
      s.state.constant = false;
      s.values.length = 0;
      for (const x of smooth(values.slice(0, i + 1), weight)) s.values.push(x);
      const finite = values.slice(0, i + 1).filter(Number.isFinite);
      s.state.n = finite.length;
      s.state.last = finite.reduce((acc, x) => acc * w + (1 - w) * x, 0);
      continue;
    }
    if (!Number.isFinite(v)) {
      s.values.push(v);
      continue;
    }
    s.state.last = s.state.last * w + (1 - w) * v;
    s.state.n++;
    s.values.push(s.state.constant ? v : s.state.last / (1 - Math.pow(w, s.state.n)));
  }
  return s;
}
