// Test support for the N:M training methods: the PyTorch reference trajectories of
// test-fixtures/reference/prune/ (written by its generate.py), the generator's tiny MLP as a
// ModelGraph, and a replay of the engine's train step with a run's Pruning on a backend.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { type GraphBuilder, type Value, add, matmul, softmaxCrossEntropy, tanh, tensor, toOnnx, transpose } from '../compiler';
import { inputGradient } from '../compiler/compress/bimask';
import type { ModelGraph, ParamInfo } from '../compiler/model';
import { OPTIMIZERS } from '../compiler/optim';
import type { HyperParams } from '../compiler/optim/types';
import { buildTrainStep, type TrainStepSpec } from '../compiler/step';
import type { Backend, HostTensor } from '../engine/backend';
import { pruneFeeds, type Pruning } from '../engine/compress';
import { createRng } from '../engine/data';
import { stepFeeds } from '../engine/step-feeds';

export interface PruneReferenceStep {
  readonly loss: number;
  readonly mask: readonly number[];
  /** Bi-Mask: fc2's backward mask. */
  readonly backwardMask?: readonly number[];
  readonly params: readonly (readonly number[])[];
}

export interface PruneReference {
  readonly case: string;
  readonly settings: Readonly<Record<string, number | string>>;
  readonly net: { readonly inputs: number; readonly hidden: number; readonly classes: number };
  readonly shapes: readonly (readonly number[])[];
  readonly init: readonly (readonly number[])[];
  readonly batches: readonly { readonly x: readonly number[]; readonly labels: readonly number[] }[];
  readonly trajectory: readonly PruneReferenceStep[];
  readonly trajectoryFloat32: readonly PruneReferenceStep[];
  /** Bi-Mask: the candidate permutations of each search, in the order the searches draw them. */
  readonly permutationCandidates?: readonly (readonly (readonly number[])[])[];
}

export const PRUNE_REFERENCE_DIR = path.join('test-fixtures', 'reference', 'prune');

export function readPruneReference(file: string): PruneReference {
  return JSON.parse(fs.readFileSync(path.join(PRUNE_REFERENCE_DIR, file), 'utf8')) as PruneReference;
}

/**
 * x → fc1 → tanh → fc2, weights [out, in] as torch.nn.Linear (the generator's network). With
 * `frozen` (the reference's initial values) only fc1.weight is a parameter and the rest are
 * constants, as Lottery Jackpots freezes them.
 */
export function referenceMlp(net: PruneReference['net'], frozen?: readonly (readonly number[])[]): ModelGraph {
  const info = (name: string, role: ParamInfo['role'], shape: number[]): ParamInfo => ({ name, layer: name.split('.')[0] ?? name, role, shape, compressible: role === 'weight', isNorm: false, init: { kind: 'zeros' } });
  const all = [info('fc1.weight', 'weight', [net.hidden, net.inputs]), info('fc1.bias', 'bias', [net.hidden]), info('fc2.weight', 'weight', [net.classes, net.hidden]), info('fc2.bias', 'bias', [net.classes])];
  const params = frozen ? all.slice(0, 1) : all;
  return {
    params,
    buffers: [],
    dropouts: [],
    inputShape: [net.inputs],
    outputWidth: net.classes,
    forward: (g: GraphBuilder, x: Value, ps: readonly Value[]) => {
      const constants = frozen ? all.slice(1).map((p, k) => g.constant(tensor(p.shape, [...(frozen[k + 1] ?? [])], x.dtype))) : [];
      const [w1, b1, w2, b2] = [...ps, ...constants];
      if (!w1 || !b1 || !w2 || !b2) throw new Error('referenceMlp: four parameters expected');
      // As the dense layers do (compiler/model/layers.ts): Bi-Mask's input gradient, when the weight has a backward mask.
      const h = tanh(inputGradient(add(matmul(x, transpose(w1)), b1), x, w1));
      return { output: inputGradient(add(matmul(h, transpose(w2)), b2), h, w2), buffers: [] };
    },
  };
}

export interface ReplayedStep {
  readonly loss: number;
  /** The forward mask fed at this step (of `maskParam`, fc1 unless said). */
  readonly mask: Float32Array;
  readonly backwardMask?: Float32Array;
  readonly params: readonly Float32Array[];
}

/**
 * Steps the engine's train step (float32, on `backend`) through the reference's batches, the
 * masks decided by `pruning` before each step, as the pruning pass does.
 */
export async function replayPruning(ref: PruneReference, backend: Backend, o: { readonly pruning?: Pruning; readonly feeds?: (t: number, params: readonly Float32Array[]) => Record<string, HostTensor>; readonly optimizer: { readonly name: string; readonly hp: HyperParams }; readonly lr: number; readonly spec: Pick<TrainStepSpec, 'prune' | 'gradClip' | 'hypersparse'>; readonly maskParam?: number; readonly frozenRest?: boolean }): Promise<ReplayedStep[]> {
  const model = referenceMlp(ref.net, o.frozenRest ? ref.init : undefined);
  const optimizer = OPTIMIZERS.get(o.optimizer.name);
  if (!optimizer) throw new Error(`replayPruning: unknown optimizer ${o.optimizer.name}`);
  const step = buildTrainStep({ model, loss: (_g, output, target) => softmaxCrossEntropy(output, target), optimizer: { builder: optimizer, hp: o.optimizer.hp }, targetWidth: ref.net.classes, dtype: 'float32', ...o.spec });
  const session = await backend.createSession(toOnnx(step.graph, step.outputs, { name: `prune_${ref.case}`, dtype: 'float32' }));
  let params: Float32Array[] = ref.init.slice(0, model.params.length).map((p) => Float32Array.from(p));
  let state: Float32Array[][] = step.layout.state.map((specs) => specs.map((s) => new Float32Array(s.shape.reduce((a, c) => a * c, 1))));
  const out: ReplayedStep[] = [];
  try {
    for (const [t, batch] of ref.batches.entries()) {
      if (o.pruning?.needsWeights(t)) o.pruning.beforeStep(t, params);
      const replaced = o.pruning?.replacement?.(t);
      if (replaced) params = params.map((p, i) => replaced.get(i) ?? p);
      const size = batch.labels.length;
      const y = new Float32Array(size * ref.net.classes);
      batch.labels.forEach((c, k) => (y[k * ref.net.classes + c] = 1));
      const mask = o.pruning?.masksOf(o.maskParam ?? 0)?.mask ?? new Float32Array();
      const backward = o.pruning?.backwardMaskOf?.(o.maskParam ?? 0);
      const feeds = stepFeeds(model, step.layout, { x: Float32Array.from(batch.x), y, size, targetWidth: ref.net.classes }, { lr: o.lr, step: t + 1 }, { params, buffers: [], state, wrapperState: [] }, createRng(0, 'dropout', t), { ...pruneFeeds(step.layout, o.pruning, model.params), ...(o.feeds?.(t, params) ?? {}) });
      const res = await session.run(feeds);
      params = model.params.map((p) => res[`${p.name}.next`]?.data as Float32Array);
      state = step.layout.state.map((specs, i) => specs.map((s) => res[`${model.params[i]?.name}.${s.name}.next`]?.data as Float32Array));
      out.push({ loss: Number(res['loss']?.data[0]), mask: Float32Array.from(mask), ...(backward ? { backwardMask: Float32Array.from(backward) } : {}), params });
    }
    return out;
  } finally {
    await session.release();
  }
}

/**
 * The worst per-element relative error |ours − torch| / max(|torch|, rms(torch tensor)) of the
 * replay against a torch trajectory (the rule of the optimizer references).
 */
export function worstRelativeError(ours: readonly ReplayedStep[], theirs: readonly PruneReferenceStep[]): { readonly error: number; readonly where: string } {
  const worst = { error: 0, where: 'nowhere' };
  theirs.forEach((s, t) => {
    s.params.slice(0, ours[t]?.params.length ?? 0).forEach((expected, i) => {
      const got = ours[t]?.params[i] ?? new Float32Array();
      const rms = Math.sqrt(expected.reduce((a, v) => a + v * v, 0) / Math.max(1, expected.length));
      expected.forEach((v, k) => {
        const e = Math.abs((got[k] ?? NaN) - v) / Math.max(Math.abs(v), rms);
        if (!(e <= worst.error)) Object.assign(worst, { error: e, where: `step ${t + 1} param ${i}[${k}]: ${got[k]} vs ${v}` });
      });
    });
  });
  return worst;
}
