// The lowrank block as a pass (compress/lowrank.ts): at the projection steps the targeted weights
// are downloaded, projected onto their truncated SVD and uploaded again; training goes on.

import type { CheckedRecipe } from '../../checker';
import type { ModelGraph } from '../../compiler/model';
import { createLowrank, lowrankPlanOf } from '../compress';
import type { PassPlan } from './pass';

export function lowrankPass(recipe: CheckedRecipe, model: ModelGraph, stepsPerEpoch: number): PassPlan | undefined {
  const plan = lowrankPlanOf(recipe, model.params, stepsPerEpoch);
  if (!plan) return undefined;
  const lowrank = createLowrank(plan, model.params);
  return {
    name: 'lowrank',
    create: () => ({
      name: 'lowrank',
      async beforeStep(ctx) {
        if (!lowrank.touches(ctx.t)) return;
        const before = await ctx.state.params();
        const params = [...before];
        const details = lowrank.beforeStep(ctx.t, params, ctx.lr);
        const changed = new Map<number, Float32Array>();
        params.forEach((p, i) => {
          if (p !== before[i]) changed.set(i, p);
        });
        if (changed.size > 0) await ctx.state.setParams(changed);
        for (const detail of details) ctx.phase('lowrank', detail);
      },
      epochMetrics: () => lowrank.metrics(),
      exports: { lowrank },
    }),
  };
}
