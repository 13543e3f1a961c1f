// train { regularizers = [least_volume(latent: …)] } as a pass (catalog A33): the train step adds
// the volume term (spec.latentVolume, on the latent layer's output); every epoch the latent codes
// of the last few training batches, through the model as it computes then (evaluation mode), give
// `latent_volume` and `latent_dims`, the number of dimensions whose std is at least η.

import { isLayerRef, isTechnique, num, type PlanValue } from '../../catalog';
import type { CheckedRecipe } from '../../checker';
import { GraphBuilder } from '../../compiler/builder';
import { layerOutput } from '../../compiler/loss/least-volume';
import type { ModelGraph } from '../../compiler/model';
import { toOnnx } from '../../compiler/onnx';
import { tensorOf } from '../tensors';
import type { PassPlan, StepBatch } from './pass';

const BATCHES = 4;

export function leastVolumePass(recipe: CheckedRecipe, model: ModelGraph): PassPlan | undefined {
  const regs = recipe.blocks['train']?.attrs['regularizers'];
  const use = Array.isArray(regs) ? (regs as readonly PlanValue[]).filter(isTechnique).find((r) => r.name === 'least_volume') : undefined;
  const latent = use?.args['latent'];
  if (!use || !isLayerRef(latent)) return undefined;
  const param = model.params.findIndex((p) => p.layer === latent.name && p.role === 'weight');
  if (param < 0) return undefined;
  const weight = num(use.args['weight']) ?? 1e-3;
  const eta = num(use.args['eta']) ?? 1e-2;
  return {
    name: 'least_volume',
    spec: { latentVolume: { param, weight, eta } },
    create: async ({ backend }) => {
      const g = new GraphBuilder();
      const x = g.input('x', ['B', ...model.inputShape], 'float32');
      const params = model.params.map((p) => g.input(p.name, p.shape, 'float32'));
      const buffers = model.buffers.map((b) => g.input(b.name, b.shape, 'float32'));
      model.forward(g, x, params, buffers, { mode: 'eval', updateBuffers: false });
      const z = layerOutput(g, params[param]!);
      if (!z) throw new Error(`least_volume: the weight of ${latent.name} reaches no Gemm or Conv directly`);
      const session = await backend.createSession(toOnnx(g, [{ name: 'z', value: z }], { name: 'latent_codes', dtype: 'float32', avoid: backend.avoidOps }));
      const recent: Pick<StepBatch, 'x' | 'size'>[] = [];
      return {
        name: 'least_volume',
        afterStep(batch) {
          recent.push({ x: batch.x, size: batch.size });
          if (recent.length > BATCHES) recent.shift();
        },
        async epochMetrics(ctx): Promise<Record<string, number>> {
          if (recent.length === 0) return {};
          const weights = Object.fromEntries([...model.params.map((p, i) => [p.name, tensorOf(ctx.weights[i]!, p.shape)] as const), ...model.buffers.map((b, i) => [b.name, tensorOf(ctx.buffers[i]!, b.shape)] as const)]);
          const codes: number[] = [];
          for (const b of recent) codes.push(...((await session.run({ ...weights, x: tensorOf(b.x, [b.size, ...model.inputShape]) }))['z']?.data as Float32Array));
          const s = latentStats(codes, model.params[param]?.shape[0] ?? 1, eta);
          return { latent_volume: s.volume, latent_dims: s.dims };
        },
        release: () => session.release(),
      };
    },
  };
}

/** Per-dimension unbiased std of codes z [n, d]: the volume exp(mean log(std + η)) and the count of stds ≥ η. */
export function latentStats(z: ArrayLike<number>, d: number, eta: number): { volume: number; dims: number; std: Float64Array } {
  const n = z.length / d;
  const std = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let k = 0; k < n; k++) m += z[k * d + j] ?? 0;
    m /= n;
    let v = 0;
    for (let k = 0; k < n; k++) v += ((z[k * d + j] ?? 0) - m) ** 2;
    std[j] = Math.sqrt(v / Math.max(1, n - 1));
  }
  const volume = Math.exp([...std].reduce((a, s) => a + Math.log(s + eta), 0) / d);
  return { volume, dims: [...std].filter((s) => s >= eta).length, std };
}
