// Metrics computed on the host from step outputs and weights, and mixup's batch mixing.

import type { ParamInfo } from '../compiler/model';
import type { Rng } from './data';

/** Share of rows whose arg-max logit is the label. */
export function accuracyOf(logits: Float32Array, labels: Int32Array, classes: number): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if ((logits[i * classes + c] ?? -Infinity) > (logits[i * classes + best] ?? -Infinity)) best = c;
    if (best === labels[i]) correct++;
  }
  return labels.length === 0 ? 0 : correct / labels.length;
}

/** Global L2 norm of all parameters, and the share of exact zeros among compressible weights. */
export function weightStats(infos: readonly ParamInfo[], params: readonly Float32Array[]): { norm: number; sparsity: number } {
  let sq = 0;
  let zeros = 0;
  let count = 0;
  infos.forEach((info, i) => {
    const p = params[i] ?? new Float32Array();
    for (let k = 0; k < p.length; k++) {
      const v = p[k] ?? 0;
      sq += v * v;
      if (info.compressible) {
        count++;
        if (v === 0) zeros++;
      }
    }
  });
  return { norm: Math.sqrt(sq), sparsity: count === 0 ? 0 : zeros / count };
}

/**
 * Mixup (Zhang et al. 2018): x̃ = λx + (1−λ)x_π with one λ ~ Beta(α, α) per batch and a random
 * permutation π; the one-hot targets are mixed the same way, which for cross-entropy equals
 * λ·CE(y) + (1−λ)·CE(y_π) exactly (catalog A35).
 */
export function mixup(x: Float32Array, y: Float32Array, size: number, alpha: number, rng: Rng): { x: Float32Array; y: Float32Array } {
  if (alpha <= 0 || size < 2) return { x, y };
  const lambda = beta(alpha, rng);
  const perm = Array.from({ length: size }, (_, i) => i);
  for (let i = size - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  const mix = (a: Float32Array): Float32Array => {
    const w = a.length / size;
    const out = new Float32Array(a.length);
    for (let i = 0; i < size; i++) {
      const j = perm[i]!;
      for (let k = 0; k < w; k++) out[i * w + k] = lambda * (a[i * w + k] ?? 0) + (1 - lambda) * (a[j * w + k] ?? 0);
    }
    return out;
  };
  return { x: mix(x), y: mix(y) };
}

/** Beta(α, α) from two Gamma(α) draws (Marsaglia–Tsang). */
function beta(alpha: number, rng: Rng): number {
  const a = gamma(alpha, rng);
  const b = gamma(alpha, rng);
  return a + b === 0 ? 0.5 : a / (a + b);
}

function gamma(alpha: number, rng: Rng): number {
  if (alpha < 1) return gamma(alpha + 1, rng) * Math.pow(rng.uniform() || Number.MIN_VALUE, 1 / alpha);
  const d = alpha - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = rng.normal();
    const v = Math.pow(1 + c * z, 3);
    if (v <= 0) continue;
    const u = rng.uniform();
    if (Math.log(u || Number.MIN_VALUE) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}
