// dp_sat on the host (catalog A07): DP-SAT's perturbation from the previous privatized gradient,
// and Opacus' privatization of per-example gradients (clip_and_accumulate, add_noise,
// scale_grad with loss_reduction = "mean"). Float64 sums of float32 gradients.

/** e = ρ·ĝ/(‖ĝ‖ + 1e-16) over all parameters jointly; zero when ĝ is absent or zero (the official code divides by 1 then). */
export function dpPerturbation(previous: readonly Float32Array[] | undefined, rho: number, shapes: readonly number[]): Float32Array[] {
  if (!previous) return shapes.map((n) => new Float32Array(n));
  let sq = 0;
  for (const p of previous) for (let k = 0; k < p.length; k++) sq += p[k]! * p[k]!;
  const norm = Math.sqrt(sq);
  const scale = rho / (norm !== 0 ? norm + 1e-16 : 1);
  return previous.map((p) => Float32Array.from(p, (v) => v * scale));
}

export interface Privatized {
  /** (Σ_i c_i g_i + noise) / expected batch, per parameter. */
  readonly grads: Float32Array[];
  /** Share of examples whose gradient was clipped (norm above C). */
  readonly clipped: number;
  /** Mean per-example gradient norm before clipping. */
  readonly meanNorm: number;
}

/**
 * Clips each example's gradient (all parameters jointly) to norm C with factor min(1, C/(‖g_i‖ + 1e-6)),
 * sums, adds `noise` (already N(0, σ²C²) per coordinate), divides by `expectedBatch`.
 */
export function privatize(perExample: readonly (readonly Float32Array[])[], clip: number, noise: readonly ArrayLike<number>[], expectedBatch: number): Privatized {
  const first = perExample[0] ?? [];
  const sums = first.map((g) => new Float64Array(g.length));
  let clipped = 0;
  let norms = 0;
  for (const grads of perExample) {
    let sq = 0;
    for (const g of grads) for (let k = 0; k < g.length; k++) sq += g[k]! * g[k]!;
    const norm = Math.sqrt(sq);
    norms += norm;
    const factor = Math.min(1, clip / (norm + 1e-6));
    if (factor < 1) clipped++;
    grads.forEach((g, p) => {
      const s = sums[p]!;
      for (let k = 0; k < g.length; k++) s[k] = s[k]! + factor * g[k]!;
    });
  }
  return {
    grads: sums.map((s, p) => Float32Array.from(s, (v, k) => (v + (noise[p]?.[k] ?? 0)) / expectedBatch)),
    clipped: perExample.length > 0 ? clipped / perExample.length : 0,
    meanNorm: perExample.length > 0 ? norms / perExample.length : 0,
  };
}
