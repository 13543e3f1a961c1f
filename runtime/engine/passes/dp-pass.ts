// The dp_sat wrapper as a pass (catalog A07): before each step the weights are downloaded, moved
// by DP-SAT's e (from the previous privatized gradient), every example's gradient is computed
// there (compiler/optim/dp-sat.ts buildExampleGradients, one example per run), clipped, summed,
// noised and averaged on the host (dp.ts), and fed to the train step, whose base optimizer
// applies it. Per step: the clipped share and mean per-example norm; per epoch: ε at δ from the
// RDP accountant (privacy.ts).

import { isTechnique, num, type TechniqueUse } from '../../catalog';
import type { CheckedRecipe } from '../../checker';
import type { ModelGraph } from '../../compiler/model';
import { toOnnx } from '../../compiler/onnx';
import { buildExampleGradients, dpGradName, exampleGradName } from '../../compiler/optim';
import type { LossFn } from '../../compiler/step';
import type { Session } from '../backend';
import { createRng } from '../data';
import { dpPerturbation, privatize } from '../dp';
import { privacySpent } from '../privacy';
import { tensorOf } from '../tensors';
import type { PassPlan } from './pass';

export interface DpSetup {
  readonly model: ModelGraph;
  readonly loss: LossFn;
  readonly targetWidth: number;
  readonly seed: number;
  readonly trainExamples: number;
}

export interface DpHp {
  readonly rho: number;
  readonly clip: number;
  readonly noise: number;
  readonly delta: number;
  readonly batch: number;
}

/** The dp_sat use of the train block, if its optimizer is one. */
export function dpUseOf(recipe: CheckedRecipe): TechniqueUse | undefined {
  const opt = recipe.blocks['train']?.attrs['optimizer'];
  return isTechnique(opt) && opt.name === 'dp_sat' ? opt : undefined;
}

export function dpPass(recipe: CheckedRecipe, s: DpSetup): PassPlan | undefined {
  const use = dpUseOf(recipe);
  if (!use) return undefined;
  const batch = num(recipe.blocks['data']?.attrs['batch']) ?? 64;
  const hp: DpHp = { rho: num(use.args['rho']) ?? 0.5, clip: num(use.args['clip']) ?? 1, noise: num(use.args['noise']) ?? 1, delta: num(use.args['delta']) ?? 1e-5, batch };
  const { model } = s;
  const warnings = [
    ...(model.buffers.length > 0 ? ['dp_sat: per-example gradients use batch norm\'s running statistics (evaluation mode); batch norm mixes examples, which DP-SGD does not allow (Opacus refuses it)'] : []),
    ...(model.dropouts.length > 0 ? ['dp_sat: per-example gradients are taken without dropout (evaluation mode)'] : []),
    ...(hp.delta >= 1 / Math.max(1, s.trainExamples) ? [`dp_sat: delta = ${hp.delta} is not below 1/(training examples) = ${(1 / s.trainExamples).toPrecision(3)}: the guarantee is weak`] : []),
  ];
  const q = Math.min(1, batch / Math.max(1, s.trainExamples));
  return {
    name: 'dp_sat',
    warnings,
    create: async ({ backend }) => {
      const f = buildExampleGradients({ model, loss: s.loss, targetWidth: s.targetWidth, dtype: 'float32' });
      const session: Session = await backend.createSession(toOnnx(f.graph, f.outputs, { name: 'dp_example_gradients', dtype: 'float32', avoid: backend.avoidOps }));
      let previous: Float32Array[] | undefined;
      let last = { clipped: 0, meanNorm: 0 };
      let steps = 0;
      return {
        name: 'dp_sat',
        warnings,
        async feeds(b, ctx) {
          const params = await ctx.state.params();
          const buffers = await ctx.state.buffers();
          const e = dpPerturbation(previous, hp.rho, model.params.map((p) => p.shape.reduce((a, c) => a * c, 1)));
          const at = params.map((p, i) => Float32Array.from(p, (v, k) => v + e[i]![k]!));
          const weights = Object.fromEntries([...model.params.map((p, i) => [p.name, tensorOf(at[i]!, p.shape)] as const), ...model.buffers.map((bf, i) => [bf.name, tensorOf(buffers[i]!, bf.shape)] as const)]);
          const xs = b.x.length / b.size;
          const ys = b.y.length / b.size;
          const perExample: Float32Array[][] = [];
          for (let i = 0; i < b.size; i++) {
            const out = await session.run({ ...weights, x: tensorOf(b.x.slice(i * xs, (i + 1) * xs), [1, ...model.inputShape]), y: tensorOf(b.y.slice(i * ys, (i + 1) * ys), [1, s.targetWidth]) });
            perExample.push(model.params.map((p) => Float32Array.from(out[exampleGradName(p.name)]?.data as Float32Array)));
          }
          const rng = createRng(s.seed, 'dp_noise', ctx.t);
          const sd = hp.noise * hp.clip;
          const noise = model.params.map((p) => Float64Array.from({ length: p.shape.reduce((a, c) => a * c, 1) }, () => sd * rng.normal()));
          const r = privatize(perExample, hp.clip, noise, hp.batch);
          previous = r.grads;
          last = { clipped: r.clipped, meanNorm: r.meanNorm };
          return Object.fromEntries(model.params.map((p, i) => [dpGradName(p.name), tensorOf(r.grads[i]!, p.shape)]));
        },
        afterStep() {
          steps++;
          return { dp_clipped: last.clipped, dp_grad_norm: last.meanNorm };
        },
        epochMetrics() {
          const spent = privacySpent({ q, sigma: hp.noise, steps, delta: hp.delta });
          return { epsilon: spent.epsilon, dp_order: spent.order };
        },
        release: () => session.release(),
      };
    },
  };
}
