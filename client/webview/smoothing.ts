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
