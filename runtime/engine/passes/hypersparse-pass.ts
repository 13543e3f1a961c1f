// The hypersparse regularizer (catalog A50) as a pass: every step its two host scalars, the scale
// s = 0.6585/|w|_(κ) of the current weights (a download, since the κ-quantile needs a sort) and
// the weight α = λ·η^(epoch − e₀), where e₀ is the epoch ART starts (the prune block's `from` under
// the `art` schedule) or 0. Under `art` the term applies only while ART runs, as in the official
// train.py (`if train_step == "ART"`); α = 0 otherwise (and when |w|_(κ) is 0).

import { num, type TechniqueUse } from '../../catalog';
import { HYPERSPARSE_INPUTS, hyperSparseScale } from '../../compiler/compress/hypersparse';
import type { ModelGraph } from '../../compiler/model';
import type { ArtPruning } from '../compress';
import { scalar } from '../tensors';
import type { PassPlan } from './pass';

export function hypersparsePass(use: TechniqueUse, model: ModelGraph, art: ArtPruning | undefined): PassPlan {
  const kappa = num(use.args['kappa']) ?? 0.9;
  const lambda = num(use.args['lambda']) ?? 5e-6;
  const eta = num(use.args['eta']) ?? 1.05;
  const params = model.params.flatMap((p, i) => (p.compressible ? [i] : []));
  return {
    name: 'hypersparse',
    spec: { hypersparse: { params } },
    create: () => {
      let alphaOfEpoch = 0;
      return {
        name: 'hypersparse',
        async feeds(_batch, ctx) {
          const active = art ? art.active(ctx.t) : true;
          const weights = active ? await ctx.state.params() : [];
          const scale = active ? hyperSparseScale(params.map((i) => weights[i] ?? new Float32Array()), kappa) : undefined;
          const alpha = scale === undefined ? 0 : hyperSparseWeight(lambda, eta, ctx.epoch - (art?.startEpoch ?? 0));
          alphaOfEpoch = alpha;
          return { [HYPERSPARSE_INPUTS.scale]: scalar(scale ?? 1), [HYPERSPARSE_INPUTS.weight]: scalar(alpha) };
        },
        epochMetrics: () => ({ 'hypersparse/alpha': alphaOfEpoch }),
      };
    },
  };
}

/** α = λ·η^e (train.py: lambda_init · eta ** (epoch − warmup_epochs)). */
export function hyperSparseWeight(lambda: number, eta: number, epoch: number): number {
  return lambda * eta ** epoch;
}
