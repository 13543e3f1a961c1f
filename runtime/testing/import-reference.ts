// Test support for imported PyTorch models (test-fixtures/reference/import/generate.py): read a
// model's reference, draw its batches and dropout masks exactly as the generator did (mulberry32,
// the same stream as seededRandom), and train the imported model's step graph on a backend, one
// session.run() per step with every parameter, buffer and optimizer state fed back.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { softmaxCrossEntropy, toOnnx } from '../compiler';
import type { ImportedModel } from '../compiler/model';
import { OPTIMIZERS } from '../compiler/optim';
import { OUT, buildTrainStep } from '../compiler/step';
import type { Backend, HostTensor } from '../engine/backend';
import { seededRandom } from './gradcheck';

/** One model's reference as generate.py writes it. */
export interface ImportReference {
  readonly model: string;
  readonly file: string;
  readonly input: readonly number[];
  readonly classes: number;
  readonly batch: number;
  readonly steps: number;
  readonly optimizer: { readonly name: 'sgd'; readonly lr: number; readonly momentum: number };
  readonly seed: number;
  readonly dropout: readonly { readonly shape: readonly number[]; readonly ratio: number }[];
  readonly torch_parameters: readonly string[];
  readonly losses: readonly number[];
  /** Per PyTorch parameter name, the L2 norm of its change over the steps. */
  readonly update_norms: Readonly<Record<string, number>>;
}

export const IMPORT_REFERENCE_DIR = 'test-fixtures/reference/import';

/** The CI models: each file and its reference are committed (each at most 2 MB). */
export const IMPORT_MODELS = ['resnet-cifar', 'resnet-cifar-eval', 'lenet-bn-dropout', 'transformer', 'coverage', 'activations'] as const;

export function readImportReference(dir: string, name: string): { readonly reference: ImportReference; readonly bytes: Uint8Array } {
  const reference = JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as ImportReference;
  return { reference, bytes: new Uint8Array(fs.readFileSync(path.join(dir, reference.file))) };
}

export interface ReferenceBatch {
  readonly x: Float32Array;
  /** One-hot labels [batch, classes]. */
  readonly y: Float32Array;
  /** One {0, 1} keep-mask [batch, …site] per dropout site. */
  readonly masks: readonly Float32Array[];
}

/** Per step, in generate.py's order: the inputs 2u − 1, the labels ⌊u·classes⌋, then each site's mask (u ≥ ratio). */
export function referenceBatches(ref: ImportReference): ReferenceBatch[] {
  const draw = seededRandom(ref.seed);
  const perExample = ref.input.reduce((a, b) => a * b, 1);
  return Array.from({ length: ref.steps }, () => {
    const x = Float32Array.from({ length: ref.batch * perExample }, () => draw() * 2 - 1);
    const y = new Float32Array(ref.batch * ref.classes);
    for (let b = 0; b < ref.batch; b++) y[b * ref.classes + Math.floor(draw() * ref.classes)] = 1;
    const masks = ref.dropout.map((d) => Float32Array.from({ length: ref.batch * d.shape.reduce((a, b) => a * b, 1) }, () => (draw() >= d.ratio ? 1 : 0)));
    return { x, y, masks };
  });
}

export interface ImportedTraining {
  readonly losses: readonly number[];
  /** Per parameter (by its name in the model), the L2 norm of its change over the steps. */
  readonly updateNorms: ReadonlyMap<string, number>;
  /** From the start of graph building to the first step's loss, in ms (import excluded). */
  readonly firstStepMs: number;
}

/** Trains the imported model for the reference's steps with SGD-momentum and cross-entropy, as PyTorch did. */
export async function trainImported(backend: Backend, imported: ImportedModel, ref: ImportReference): Promise<ImportedTraining> {
  const started = performance.now();
  const { model, initial } = imported;
  const sgd = OPTIMIZERS.get('sgd');
  if (sgd === undefined) throw new Error('no sgd optimizer');
  const hp = { lr: ref.optimizer.lr, momentum: ref.optimizer.momentum, dampening: 0, nesterov: false, weight_decay: 0 };
  const step = buildTrainStep({ model, loss: (_g, output, target) => softmaxCrossEntropy(output, target), optimizer: { builder: sgd, hp }, targetWidth: ref.classes, dtype: 'float32' });
  const session = await backend.createSession(toOnnx(step.graph, step.outputs, { name: 'train_step', dtype: 'float32', avoid: backend.avoidOps }));
  const { layout } = step;
  const state = new Map<string, HostTensor>();
  model.params.forEach((p, i) => {
    state.set(p.name, f32(p.shape, initial.params[i] ?? []));
    (layout.state[i] ?? []).forEach((s) => state.set(`${p.name}.${s.name}`, f32(s.shape, new Float32Array(s.shape.reduce((a, b) => a * b, 1)))));
  });
  model.buffers.forEach((b, i) => state.set(b.name, f32(b.shape, initial.buffers[i] ?? [])));
  const losses: number[] = [];
  let firstStepMs = 0;
  try {
    for (const [t, batch] of referenceBatches(ref).entries()) {
      const feeds: Record<string, HostTensor> = {
        x: f32([ref.batch, ...model.inputShape], batch.x),
        y: f32([ref.batch, ref.classes], batch.y),
        lr: f32([], [ref.optimizer.lr]),
        step: f32([], [t + 1]),
        ...Object.fromEntries(state),
      };
      layout.masks.forEach((name, k) => (feeds[name] = f32([ref.batch, ...(model.dropouts[k]?.shape ?? [])], batch.masks[k] ?? [])));
      const out = await session.run(feeds);
      for (const name of state.keys()) {
        const next = out[`${name}.next`];
        if (next === undefined) throw new Error(`trainImported: the step has no output ${name}.next`);
        state.set(name, next);
      }
      losses.push(Number(out[OUT.loss]?.data[0]));
      if (t === 0) firstStepMs = performance.now() - started;
    }
  } finally {
    await session.release();
  }
  const updateNorms = new Map(model.params.map((p, i) => {
    const start = initial.params[i] ?? [];
    const end = state.get(p.name)?.data ?? [];
    let sum = 0;
    for (let k = 0; k < start.length; k++) sum += (Number(end[k]) - Math.fround(start[k] ?? 0)) ** 2;
    return [p.name, Math.sqrt(sum)];
  }));
  return { losses, updateNorms, firstStepMs };
}

/** Largest |a − b| / |b| over the steps. */
export function maxRelativeError(actual: readonly number[], expected: readonly number[]): number {
  return expected.reduce((m, e, i) => Math.max(m, Math.abs((actual[i] ?? NaN) - e) / Math.abs(e)), 0);
}

function f32(shape: readonly number[], data: ArrayLike<number>): HostTensor {
  return { dtype: 'float32', shape: [...shape], data: Float32Array.from(data) };
}
