// Static estimates shown on hover: parameters, FLOPs and model size before and after compression.
//
// Formulas (per example unless stated; all counts exclude the batch dimension):
// - parameters = Σ over layers of every weight's element count as the layer facets report them:
//   matrices, kernels, biases and normalization parameters (γ and β of `norm: layer|batch`, g of
//   `norm: weight`).
// - flopsPerExample = Σ of each layer facet's forward FLOPs (2 per multiply-accumulate).
// - flopsPerStep = 3 × flopsPerExample × batch × passes: the backward pass costs about twice the
//   forward; `passes` is 1 for a plain optimizer, 2 for sam/asam/sam_on/fsam (one extra
//   forward/backward at the perturbed point), 4 for gam (its gradient-norm term needs two more),
//   1 for saf (it reuses past outputs instead of a second pass) and bloop (its auxiliary loss
//   depends on the weights only), 2 for any other wrapper. deepzero makes forward passes only,
//   one per loss evaluation (crossblock.ts `deepzeroEvaluations`): flopsPerExample × batch × passes.
// - bytesBefore = 4 × parameters (fp32).
// - bytesAfter, per compressible weight of shape (out, …) with `reduction` inputs per output:
//   1. low-rank (targeted by `lowrank` with a `rank` argument r): r · (out + reduction) elements
//      instead of out · reduction when smaller. Energy-based truncation picks r from the trained
//      singular values, which are unknown ahead of time: the estimate assumes the weight
//      unchanged.
//   2. pruning (targeted by `prune`): N:M keeps e·N/M values plus a ceil(log2 M)-bit index per
//      kept value (2 bits for 2:4); unstructured sparsity s keeps round(e·(1 − s)) values plus a
//      1-bit mask per weight.
//   3. quantization (targeted by `quantize`): each kept value takes bits/8 bytes instead of 4,
//      plus one fp32 scale per output channel (per_channel) or per tensor.
//   Biases, norm parameters and untargeted weights stay fp32.

import type { Ratio } from '../catalog';
import type { Estimates, LayerPlan } from './types';

/** What the estimates read of a layer: a built-in model's LayerPlan, or an imported file's node. */
export type EstimateLayer = Pick<LayerPlan, 'name' | 'weights' | 'flops'>;

export interface EstimateInputs {
  readonly layers: readonly EstimateLayer[];
  readonly batch: number;
  /** The names along the optimizer value, outermost first: ['sam', 'adamp']. */
  readonly optimizer: readonly string[];
  readonly prune?: { readonly targets: ReadonlySet<string>; readonly sparsity: number; readonly pattern?: Ratio };
  readonly lowrank?: { readonly targets: ReadonlySet<string>; readonly rank?: number };
  readonly quantize?: { readonly targets: ReadonlySet<string>; readonly bits: number; readonly perChannel: boolean };
}

/** Forward/backward passes per step of the sharpness-aware wrappers; see the header. */
const WRAPPER_PASSES: Readonly<Record<string, number>> = { sam: 2, asam: 2, sam_on: 2, fsam: 2, gam: 4, saf: 1,
  // A15 (the auxiliary loss depends on the weights only), A16.
  bloop: 1, gr: 2,
};

export function passesPerStep(optimizer: readonly string[], isWrapper: (name: string) => boolean): number {
  const outer = optimizer[0];
  if (outer === undefined || !isWrapper(outer)) return 1;
  return WRAPPER_PASSES[outer] ?? 2;
}

/** `forwardOnly`: the passes are forward passes only (deepzero's loss evaluations), so a pass costs 1× the forward, not 3×. */
export function estimate(inputs: EstimateInputs, passes: number, forwardOnly = false): Estimates {
  let parameters = 0;
  let flopsPerExample = 0;
  let bytesAfter = 0;
  for (const layer of inputs.layers) {
    flopsPerExample += layer.flops;
    for (const w of layer.weights) {
      const n = w.shape.reduce((a, b) => a * b, 1);
      parameters += n;
      bytesAfter += w.compressible ? compressedBytes(inputs, layer.name, w.shape, w.reduction, n) : 4 * n;
    }
  }
  return { parameters, flopsPerExample, flopsPerStep: (forwardOnly ? 1 : 3) * flopsPerExample * inputs.batch * passes, bytesBefore: 4 * parameters, bytesAfter: Math.round(bytesAfter), passesPerStep: passes };
}

function compressedBytes(inputs: EstimateInputs, layer: string, shape: readonly number[], reduction: number, n: number): number {
  const out = shape[0] ?? 1;
  let elements = n;
  const rank = inputs.lowrank?.targets.has(layer) ? inputs.lowrank.rank : undefined;
  if (rank !== undefined && rank * (out + reduction) < n) elements = rank * (out + reduction);
  const q = inputs.quantize?.targets.has(layer) ? inputs.quantize : undefined;
  const valueBytes = q ? q.bits / 8 : 4;
  const scales = q ? 4 * (q.perChannel ? out : 1) : 0;
  const p = inputs.prune?.targets.has(layer) ? inputs.prune : undefined;
  if (!p) return elements * valueBytes + scales;
  if (p.pattern) {
    const kept = (elements * p.pattern.n) / p.pattern.m;
    const indexBits = Math.ceil(Math.log2(p.pattern.m));
    return kept * valueBytes + (kept * indexBits) / 8 + scales;
  }
  const kept = Math.round(elements * (1 - p.sparsity));
  return kept * valueBytes + Math.ceil(elements / 8) + scales;
}
