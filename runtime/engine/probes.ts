// The metrics of the report block that cost extra graph runs (sharpness, hessian_top_eig), and
// the per-step effective step size. The training loop creates the probes once, calls `epoch`
// every `every` of the report block with the current weights and a few training batches, and
// merges the returned values into its epoch metrics. A metric whose graph cannot be built or
// compiled for this model is not computed, and says why in `warnings`, once, at creation.

import { num, type TechniqueUse } from '../catalog';
import type { ModelGraph, ParamInfo } from '../compiler/model';
import { toOnnx } from '../compiler/onnx';
import { buildHessianVectorProbe, buildSharpnessProbe, directionName, PROBE_OUT, productName, type LossFn, type ProbeGraph } from '../compiler/step';
import type { Backend, HostTensor, Session } from './backend';
import { createRng } from './data';
import { powerIteration, randomDirection } from './power-iteration';
import { tensorOf } from './tensors';

export interface ProbeContext {
  readonly model: ModelGraph;
  readonly loss: LossFn;
  /** Width of the target input: classes (one-hot) or regression targets. */
  readonly targetWidth: number;
  readonly backend: Backend;
  readonly dtype: 'float32';
  readonly classification: boolean;
  /** Seeds the start vectors of the power iteration (the recipe's seed); 0 when absent. */
  readonly seed?: number;
}

/** A batch as the loop has it: x is size × prod(inputShape), y is size × targetWidth (one-hot or targets). */
export interface ProbeBatch {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly size: number;
}

export interface Probes {
  /** The metrics `epoch` returns, in the order they were requested. */
  readonly metrics: readonly string[];
  /** One line per requested metric that is not computed for this model, saying why. */
  readonly warnings: readonly string[];
  /**
   * The metric values at the given parameters and buffers (model order), keyed by metric name.
   * sharpness uses `batches[0]`; hessian_top_eig uses the first `batches` (its argument) of them,
   * or all of them when fewer are given.
   * Neither changes any input. With no batch, returns {}.
   */
  epoch(args: { readonly params: readonly Float32Array[]; readonly buffers: readonly Float32Array[]; readonly batches: readonly ProbeBatch[] }): Promise<Record<string, number>>;
  release(): Promise<void>;
}

/** The metrics that need probe graphs; the others are computed from what the train step returns. */
export const COSTLY_METRICS: readonly string[] = ['sharpness', 'hessian_top_eig'];

/** Probes for the costly metrics among `metrics`, or undefined when none is requested. */
export async function createProbes(metrics: readonly TechniqueUse[], ctx: ProbeContext): Promise<Probes | undefined> {
  const requested = metrics.filter((m) => COSTLY_METRICS.includes(m.name));
  if (requested.length === 0) return undefined;
  const probes: Probe[] = [];
  const warnings: string[] = [];
  for (const use of requested) {
    try {
      probes.push(use.name === 'sharpness' ? await sharpnessProbe(use, ctx) : await hessianProbe(use, ctx));
    } catch (e) {
      warnings.push(`metric ${use.name} is not computed for this model: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  let calls = 0;
  return {
    metrics: probes.map((p) => p.name),
    warnings,
    epoch: async ({ params, buffers, batches }) => {
      const out: Record<string, number> = {};
      if (batches.length === 0) return out;
      const weights = weightFeeds(ctx.model, params, buffers);
      for (const p of probes) out[p.name] = await p.run(weights, batches, calls);
      calls++;
      return out;
    },
    release: async () => {
      for (const p of probes) await p.session.release();
    },
  };
}

/**
 * effective_step: ‖w_{t+1} − w_t‖₂ / ‖w_t‖₂ over all parameters concatenated (the step the
 * optimizer really made, weight decay and wrapper effects included). 0 when nothing moved, and
 * Infinity when the weights were all zero and moved.
 */
export function effectiveStep(before: readonly Float32Array[], after: readonly Float32Array[]): number {
  let change = 0;
  let size = 0;
  before.forEach((b, i) => {
    const a = after[i];
    if (a === undefined || a.length !== b.length) throw new Error(`effectiveStep: tensor ${i} has ${a?.length ?? 'no'} values after the step and ${b.length} before`);
    for (let k = 0; k < b.length; k++) {
      const w = b[k] ?? 0;
      const d = (a[k] ?? 0) - w;
      change += d * d;
      size += w * w;
    }
  });
  if (change === 0) return 0;
  return Math.sqrt(change) / Math.sqrt(size);
}

/** effective_step per layer: the same ratio over each layer's parameters (weights, biases, norm scales). */
export function effectiveStepByLayer(infos: readonly ParamInfo[], before: readonly Float32Array[], after: readonly Float32Array[]): Record<string, number> {
  const groups = new Map<string, { before: Float32Array[]; after: Float32Array[] }>();
  infos.forEach((info, i) => {
    const b = before[i];
    const a = after[i];
    if (b === undefined || a === undefined) return;
    const group = groups.get(info.layer) ?? { before: [], after: [] };
    group.before.push(b);
    group.after.push(a);
    groups.set(info.layer, group);
  });
  return Object.fromEntries([...groups].map(([layer, g]) => [layer, effectiveStep(g.before, g.after)]));
}

/** One compiled probe: its metric name, its session, and how to get the value from the weights and batches. */
interface Probe {
  readonly name: string;
  readonly session: Session;
  run(weights: Record<string, HostTensor>, batches: readonly ProbeBatch[], call: number): Promise<number>;
}

/**
 * sharpness(rho, m): on batches[0], the mean over its disjoint sub-batches of m examples of
 * L_b(w + ρ g_b/‖g_b‖) − L_b(w) (m-sharpness, SAM paper §4.1). The last size mod m examples are
 * left out so that every sub-batch has m; a batch smaller than m is one sub-batch. Without m, the
 * whole batch is one sub-batch.
 */
async function sharpnessProbe(use: TechniqueUse, ctx: ProbeContext): Promise<Probe> {
  const rho = num(use.args['rho']) ?? 0.05;
  const m = num(use.args['m']);
  const session = await compile(buildSharpnessProbe(ctx, rho), ctx, 'sharpness_probe');
  return {
    name: use.name,
    session,
    run: async (weights, batches) => {
      const batch = batches[0];
      if (batch === undefined) return Number.NaN;
      const per = m === undefined || m >= batch.size ? batch.size : m;
      const count = Math.floor(batch.size / per);
      let total = 0;
      for (let s = 0; s < count; s++) {
        const out = await session.run({ ...weights, ...dataFeeds(ctx, rows(batch, s * per, per, ctx)) });
        total += scalarOf(out[PROBE_OUT.sharpness]);
      }
      return total / count;
    },
  };
}

/**
 * hessian_top_eig(iters, tol, batches): power iteration on H v, H the Hessian of the loss averaged
 * over the first `batches` batches weighted by their size (PyHessian's data-loader average), from
 * a seeded N(0, I) start; returns the Rayleigh quotient ⟨v, Hv⟩ at exit.
 */
async function hessianProbe(use: TechniqueUse, ctx: ProbeContext): Promise<Probe> {
  const iters = num(use.args['iters']) ?? 20;
  const tol = num(use.args['tol']) ?? 1e-3;
  const count = num(use.args['batches']) ?? 1;
  const session = await compile(buildHessianVectorProbe(ctx), ctx, 'hessian_vector_probe');
  const params = ctx.model.params;
  return {
    name: use.name,
    session,
    run: async (weights, batches, call) => {
      const used = batches.slice(0, Math.max(1, count));
      const examples = used.reduce((s, b) => s + b.size, 0);
      const data = used.map((b) => dataFeeds(ctx, b));
      const hvp = async (v: readonly Float64Array[]): Promise<Float64Array[]> => {
        const total = params.map((p) => new Float64Array(sizeOf(p.shape)));
        const directions: Record<string, HostTensor> = {};
        params.forEach((p, i) => (directions[directionName(p.name)] = tensorOf(Float32Array.from(v[i] ?? []), p.shape)));
        for (const [k, feeds] of data.entries()) {
          const out = await session.run({ ...weights, ...feeds, ...directions });
          const share = (used[k]?.size ?? 0) / examples;
          params.forEach((p, i) => {
            const hv = out[productName(p.name)]?.data;
            const acc = total[i];
            if (hv === undefined || acc === undefined) throw new Error(`hessian_top_eig: the probe returned no ${productName(p.name)}`);
            for (let e = 0; e < acc.length; e++) acc[e] = (acc[e] ?? 0) + share * Number(hv[e] ?? Number.NaN);
          });
        }
        return total;
      };
      const v0 = randomDirection(params.map((p) => sizeOf(p.shape)), createRng(ctx.seed ?? 0, 'hessian_top_eig', call));
      return (await powerIteration(hvp, v0, { iters, tol })).eigenvalue;
    },
  };
}

async function compile(probe: ProbeGraph, ctx: ProbeContext, name: string): Promise<Session> {
  return ctx.backend.createSession(toOnnx(probe.graph, probe.outputs, { name, dtype: ctx.dtype, avoid: ctx.backend.avoidOps }));
}

function weightFeeds(model: ModelGraph, params: readonly Float32Array[], buffers: readonly Float32Array[]): Record<string, HostTensor> {
  const feeds: Record<string, HostTensor> = {};
  model.params.forEach((p, i) => (feeds[p.name] = tensorOf(params[i] ?? new Float32Array(sizeOf(p.shape)), p.shape)));
  model.buffers.forEach((b, i) => (feeds[b.name] = tensorOf(buffers[i] ?? new Float32Array(sizeOf(b.shape)), b.shape)));
  return feeds;
}

function dataFeeds(ctx: ProbeContext, b: ProbeBatch): Record<string, HostTensor> {
  return { x: tensorOf(b.x, [b.size, ...ctx.model.inputShape]), y: tensorOf(b.y, [b.size, ctx.targetWidth]) };
}

/** Examples [start, start + count) of a batch (copied: a backend may ignore a view's offset). */
function rows(b: ProbeBatch, start: number, count: number, ctx: ProbeContext): ProbeBatch {
  if (start === 0 && count === b.size) return b;
  const xw = sizeOf(ctx.model.inputShape);
  const yw = ctx.targetWidth;
  return { x: b.x.slice(start * xw, (start + count) * xw), y: b.y.slice(start * yw, (start + count) * yw), size: count };
}

function scalarOf(t: HostTensor | undefined): number {
  const v = t?.data[0];
  return typeof v === 'number' ? v : Number.NaN;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
