// DeepZero's host side (compiler/optim/deepzero.ts builds the estimate in the step): CGE's sparse
// masks, redrawn every `reshuffle` (a random `cgeKept` of each weight matrix's coordinates, per
// layer, the code's `layer_wise_random`), and RGE's Gaussian directions, drawn every step, fed
// as the step's `wrapper_input.*` inputs from seeded streams, so a run replays exactly. Warns at
// the start when a step needs more than ZO_BUDGET loss evaluations.

import { isDuration, type TechniqueUse } from '../../catalog';
import type { ParamInfo } from '../../compiler/model/types';
import { deepzeroInputs, zoEvaluations } from '../../compiler/optim';
import { wrapperInputName } from '../../compiler/step';
import type { Feed } from '../backend';
import { createRng } from '../data';
import type { PassPlan } from './pass';

/** Loss evaluations per step above which a run warns (zeroth-order training is for tiny networks). */
export const ZO_BUDGET = 1000;

export function deepzeroPass(use: TechniqueUse, params: readonly ParamInfo[], seed: number, stepsPerEpoch: number): PassPlan {
  const specs = deepzeroInputs(params, use.args);
  const evaluations = zoEvaluations(params, use.args);
  const every = reshuffleSteps(use, stepsPerEpoch);
  const warnings = evaluations > ZO_BUDGET
    ? [`deepzero: ${evaluations} loss evaluations per step (${use.args['estimator'] === 'rge' ? 'queries + 1' : 'one per estimated coordinate, plus one'}), above the budget of ${ZO_BUDGET} for zeroth-order training; use a smaller network, a higher sparsity or rge with fewer queries`]
    : [];
  return {
    name: 'deepzero',
    warnings,
    create: () => {
      let coords: Record<string, Feed> = {};
      return {
        name: 'deepzero',
        warnings,
        feeds(_batch, ctx) {
          const out: Record<string, Feed> = {};
          if (ctx.t % every === 0) coords = drawMasks(specs.filter((s) => s.kind === 'coords'), createRng(seed, 'deepzero', 'mask', ctx.t / every));
          Object.assign(out, coords);
          const gaussians = specs.filter((s) => s.kind === 'gaussian');
          if (gaussians.length > 0) {
            const rng = createRng(seed, 'deepzero', 'rge', ctx.t);
            for (const s of gaussians) out[wrapperInputName(s.name)] = { dtype: 'float32', shape: [...s.shape], data: Float32Array.from({ length: s.size }, () => rng.normal()) };
          }
          return out;
        },
      };
    },
  };
}

/** Steps between mask draws: `reshuffle` in steps, at least 1. */
function reshuffleSteps(use: TechniqueUse, stepsPerEpoch: number): number {
  const d = use.args['reshuffle'];
  if (!isDuration(d)) return stepsPerEpoch;
  return Math.max(1, Math.round(d.unit === 'ep' ? d.value * stepsPerEpoch : d.value));
}

/** For each coordinate input, its count of distinct indices below the parameter's size, ascending. */
function drawMasks(specs: readonly { readonly name: string; readonly shape: readonly number[]; readonly size: number }[], rng: ReturnType<typeof createRng>): Record<string, Feed> {
  const out: Record<string, Feed> = {};
  for (const s of specs) {
    const kept = s.shape[0] ?? 0;
    // A partial Fisher–Yates shuffle: the first `kept` entries of a random permutation.
    const perm = Array.from({ length: s.size }, (_, i) => i);
    for (let i = 0; i < kept; i++) {
      const j = i + rng.int(s.size - i);
      [perm[i], perm[j]] = [perm[j] ?? 0, perm[i] ?? 0];
    }
    out[wrapperInputName(s.name)] = { dtype: 'float32', shape: [kept], data: Float32Array.from(perm.slice(0, kept).sort((a, b) => a - b)) };
  }
  return out;
}
