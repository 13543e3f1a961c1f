// Graphs for the costly probes of the report block: m-sharpness (SAM paper) and Hessian-vector
// products for the top Hessian eigenvalue (PyHessian). Both evaluate the model in eval mode with
// the buffers frozen, so a probe never changes what training sees. The batch dim stays symbolic:
// one graph serves every batch and sub-batch size. The iteration (power method, the average over
// sub-batches) runs on the host; these graphs are one evaluation each.

import { GraphBuilder } from '../builder';
import { grad } from '../grad';
import type { DType, Value } from '../ir';
import { add, mul, sub } from '../ops/binary';
import { sum } from '../ops/derived';
import { ascent, perturb } from '../optim/ascent';
import type { ModelGraph } from '../model/types';
import type { LossFn } from './train-step';

export interface ProbeSpec {
  readonly model: ModelGraph;
  readonly loss: LossFn;
  /** Width of the target input: classes (one-hot) or regression targets. */
  readonly targetWidth: number;
  readonly dtype: DType;
}

export interface ProbeGraph {
  readonly graph: GraphBuilder;
  readonly outputs: readonly { readonly name: string; readonly value: Value }[];
}

/** Output names of the probe graphs. */
export const PROBE_OUT = { loss: 'loss', perturbedLoss: 'perturbed_loss', sharpness: 'sharpness' } as const;

/** The input name of the direction for parameter `name` in the Hessian-vector graph, and of its product. */
export const directionName = (param: string): string => `v.${param}`;
export const productName = (param: string): string => `hv.${param}`;

/**
 * Sharpness on one (sub-)batch: L(w + ρ g/(‖g‖ + 1e-12)) − L(w) with g = ∇L(w), the SAM
 * perturbation (the same `ascent` the sam wrapper trains with). Inputs x, y, every parameter and
 * buffer (by their model names); outputs `loss` L(w), `perturbed_loss` and `sharpness`, their
 * difference, taken in the graph so that ρ = 0 gives exactly 0.
 */
export function buildSharpnessProbe(spec: ProbeSpec, rho: number): ProbeGraph {
  const { g, params, lossAt } = probeInputs(spec);
  const clean = lossAt(params);
  const e = ascent(grad(clean, params), rho);
  const perturbed = lossAt(perturb(params, e));
  return {
    graph: g,
    outputs: [
      { name: PROBE_OUT.loss, value: clean },
      { name: PROBE_OUT.perturbedLoss, value: perturbed },
      { name: PROBE_OUT.sharpness, value: sub(perturbed, clean) },
    ],
  };
}

/**
 * The Hessian-vector product Hv = ∇_w ⟨∇_w L, v⟩ (double backward) on one batch. Inputs x, y,
 * every parameter and buffer, and one direction `v.<param>` per parameter (same shape); outputs
 * `loss` and `hv.<param>` per parameter. Throws (from `grad`) when an op on the path has no
 * backward rule, naming it; the host turns that into a warning.
 */
export function buildHessianVectorProbe(spec: ProbeSpec): ProbeGraph {
  const { g, params, lossAt } = probeInputs(spec);
  const loss = lossAt(params);
  const grads = grad(loss, params);
  const vs = spec.model.params.map((p) => g.input(directionName(p.name), p.shape, spec.dtype));
  const dot = grads.map((gr, i) => sum(mul(gr, vs[i] as Value))).reduce((a, b) => add(a, b));
  const hv = grad(dot, params);
  return {
    graph: g,
    outputs: [{ name: PROBE_OUT.loss, value: loss }, ...hv.map((v, i) => ({ name: productName(spec.model.params[i]?.name ?? `${i}`), value: v }))],
  };
}

/** Inputs x, y, parameters and buffers, and the eval-mode loss at any parameter values. */
function probeInputs(spec: ProbeSpec): { g: GraphBuilder; params: Value[]; lossAt: (ps: readonly Value[]) => Value } {
  const { model, dtype } = spec;
  const g = new GraphBuilder();
  const x = g.input('x', ['B', ...model.inputShape], dtype);
  const y = g.input('y', ['B', spec.targetWidth], dtype);
  const params = model.params.map((p) => g.input(p.name, p.shape, dtype));
  const buffers = model.buffers.map((b) => g.input(b.name, b.shape, dtype));
  const lossAt = (ps: readonly Value[]) => spec.loss(g, model.forward(g, x, ps, buffers, { mode: 'eval', updateBuffers: false }).output, y);
  return { g, params, lossAt };
}
