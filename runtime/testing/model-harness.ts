// Test helpers for runtime/compiler/model and runtime/compiler/loss: instantiate a ModelGraph in a
// fresh graph (inputs x, one per parameter, buffer and dropout mask, batch dim 'B') and feed it.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../analysis';
import type { CheckedRecipe } from '../checker';
import { type Feeds, GraphBuilder, type Tensor, type Value, tensor } from '../compiler';
import type { ForwardResult, ModelGraph } from '../compiler/model';

export interface ModelInstance {
  readonly g: GraphBuilder;
  readonly x: Value;
  readonly params: readonly Value[];
  readonly buffers: readonly Value[];
  readonly masks: readonly Value[];
  readonly result: ForwardResult;
}

export function instantiate(model: ModelGraph, mode: 'train' | 'eval', o: { readonly updateBuffers?: boolean; readonly maskDtype?: 'bool' | 'float64' } = {}): ModelInstance {
  const g = new GraphBuilder();
  const x = g.input('x', ['B', ...model.inputShape]);
  const params = model.params.map((p) => g.input(`p:${p.name}`, p.shape));
  const buffers = model.buffers.map((b) => g.input(`b:${b.name}`, b.shape));
  const masks = model.dropouts.map((d, i) => g.input(`mask:${i}`, ['B', ...d.shape], o.maskDtype ?? 'bool'));
  const result = model.forward(g, x, params, buffers, { mode, masks, ...(o.updateBuffers === undefined ? {} : { updateBuffers: o.updateBuffers }) });
  return { g, x, params, buffers, masks, result };
}

export interface ModelValues {
  readonly x: Tensor;
  readonly params: readonly Float64Array[];
  readonly buffers: readonly Float64Array[];
  readonly masks?: readonly Tensor[];
}

export function feedsFor(model: ModelGraph, v: ModelValues): Record<string, Tensor> {
  const feeds: Record<string, Tensor> = { x: v.x };
  model.params.forEach((p, i) => (feeds[`p:${p.name}`] = tensor(p.shape, v.params[i] ?? new Float64Array())));
  model.buffers.forEach((b, i) => (feeds[`b:${b.name}`] = tensor(b.shape, v.buffers[i] ?? new Float64Array())));
  (v.masks ?? []).forEach((m, i) => (feeds[`mask:${i}`] = m));
  return feeds;
}

/** The checked recipe of a recipe text that must check clean. */
export function checkedRecipe(text: string, what: string): CheckedRecipe {
  const a = analyze(text);
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (a.recipe === undefined) throw new Error(`${what}: does not check: ${errors.map((d) => d.message).join('; ')}`);
  return a.recipe;
}

export function readRecipe(file: string): string {
  return fs.readFileSync(path.join(process.cwd(), file), 'utf8');
}

export type { Feeds };
