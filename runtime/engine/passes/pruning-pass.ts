// The prune block as a pass: masks decided on the host at the schedule's points (compress/
// pruning.ts, compress/nm-training.ts for the N:M training methods, compress/art.ts for the `art`
// schedule), applied in the train step (compiler/compress/masked-weight.ts). The weights are
// downloaded only at steps where a mask is computed (every step of SR-STE's window). With
// `flip_rate` requested, every mask update is compared with the one before (flip-rate.ts). Under
// `art` the pass also measures, after each ART epoch, a pruned copy on the epoch's training batches
// (art-measure.ts) and uploads the best pruned model when ART ends.

import type { CheckedRecipe } from '../../checker';
import type { ModelGraph } from '../../compiler/model';
import type { LossFn } from '../../compiler/step';
import { isArt, nmStepDecay, pruningFor, type ArtPruning } from '../compress';
import type { Feed } from '../backend';
import { createArtMeasure } from './art-measure';
import { createDeviceFeeds } from './device-feeds';
import { createFlipRate } from './flip-rate';
import type { PassPlan } from './pass';

export interface PruningSetup {
  readonly loss: LossFn;
  readonly targetWidth: number;
  /** The report block asks for `flip_rate`: only then are the mask updates compared. */
  readonly flipRate: boolean;
}

/** The pass, and ART's phase when the schedule is `art` (HyperSparse's term applies while it runs). */
export function pruningPlan(recipe: CheckedRecipe, model: ModelGraph, stepsPerEpoch: number, setup?: PruningSetup): { readonly plan: PassPlan; readonly art?: ArtPruning } | undefined {
  const pruning = pruningFor(recipe, model.params, stepsPerEpoch);
  if (!pruning) return undefined;
  const plan = pruning.plan;
  const art = isArt(pruning) ? pruning : undefined;
  const decay = plan.nm ? nmStepDecay(plan.nm) : { decay: plan.decay, afterClip: false };
  // transposable(finish: dense) ends dense: the export is not pruned.
  const exportsPruned = !(plan.nm?.kind === 'transposable' && plan.nm.finish === 'dense' && Number.isFinite(plan.to));
  const pass: PassPlan = {
    name: 'pruning',
    spec: { prune: { params: plan.targets, decay: decay.decay, ...(decay.afterClip ? { decayAfterClip: true } : {}), ...(plan.nm?.kind === 'bimask' ? { backwardMask: plan.targets } : {}), ...(plan.jackpot ? { scores: plan.targets } : {}) } },
    create: async ({ layout, backend, totalSteps }) => {
      const masks = createDeviceFeeds(backend);
      const flips = setup?.flipRate ? createFlipRate(pruning, model.params) : undefined;
      const measure = art && setup ? await createArtMeasure(art, { model, backend, ...setup, stepsPerEpoch }) : undefined;
      return {
        name: 'pruning',
        warnings: plan.from >= totalSteps ? [`pruning starts at step ${plan.from}, after the last step (${totalSteps}): the model is not pruned`] : [],
        async beforeStep(ctx) {
          if (!pruning.needsWeights(ctx.t)) return;
          const params = await ctx.state.params();
          for (const detail of pruning.beforeStep(ctx.t, params)) ctx.phase('pruning', detail);
          const replaced = pruning.replacement?.(ctx.t);
          if (replaced) await ctx.state.setParams(replaced);
          flips?.record();
        },
        async feeds() {
          const feeds: Record<string, Feed> = {};
          for (const { param, mask, keep, backward, frozen } of layout.prune) {
            const m = pruning.masksOf(param);
            const shape = model.params[param]?.shape ?? [];
            if (!m) throw new Error(`pruning: no mask for parameter ${model.params[param]?.name}`);
            feeds[mask] = await masks.get(mask, m.mask, shape);
            feeds[keep] = await masks.get(keep, m.keep, shape);
            // Bi-Mask's backward mask (compiler/compress/bimask.ts).
            if (backward) feeds[backward] = await masks.get(backward, pruning.backwardMaskOf?.(param) ?? m.mask, shape);
            // Lottery Jackpots' frozen weight (compiler/compress/jackpot-weight.ts), one upload.
            const w0 = frozen ? pruning.frozenWeightOf?.(param) : undefined;
            if (frozen) {
              if (!w0) throw new Error(`pruning: no frozen weight for parameter ${model.params[param]?.name}`);
              feeds[frozen] = await masks.get(frozen, w0, shape);
            }
          }
          return feeds;
        },
        afterStep: measure ? (batch, out, ctx) => measure.afterStep(batch, out, ctx) : undefined,
        effective: (weights) => pruning.effective(weights),
        epochMetrics: async (ctx) => ({
          ...pruning.metrics(ctx.weights, ctx.requested),
          ...(flips ? flips.epoch() : {}),
          ...(measure ? await measure.epochEnd(ctx) : {}),
        }),
        exports: exportsPruned ? { pruned: { targets: plan.targets, ...(plan.pattern ? { pattern: plan.pattern } : {}) } } : {},
        release: async () => {
          masks.dispose();
          await measure?.release();
        },
      };
    },
  };
  return { plan: pass, ...(art ? { art } : {}) };
}
