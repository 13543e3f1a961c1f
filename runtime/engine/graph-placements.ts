// `minima debug placement`: the graphs a recipe's run executes (train step, evaluation step),
// compiled exactly as run.ts compiles them, and where onnxruntime places each of their nodes.

import * as path from 'node:path';
import type { CheckedRecipe } from '../checker';
import { toOnnx } from '../compiler/onnx';
import { WEBGPU_AVOIDED_OPS, placements, type PlacementResult } from './backend';
import { buildRunGraphs } from './run-graphs';
import { prepareRun } from './run-setup';

export async function graphPlacements(recipe: CheckedRecipe, options: { readonly recipePath: string; readonly provider: 'webgpu' | 'cpu'; readonly assetsDir?: string }): Promise<PlacementResult> {
  const setup = prepareRun(recipe, { baseDir: path.dirname(options.recipePath), ...(options.assetsDir ? { assetsDir: options.assetsDir } : {}) });
  if ('error' in setup) return { ok: false, message: setup.error };
  const { step, evalStep } = buildRunGraphs(recipe, setup);
  // Compiled for the provider as a run compiles them (run.ts passes the backend's avoidOps).
  const avoid = options.provider === 'webgpu' ? WEBGPU_AVOIDED_OPS : [];
  return placements(
    [
      { name: 'train_step', bytes: toOnnx(step.graph, step.outputs, { name: 'train_step', dtype: 'float32', avoid }) },
      { name: 'eval_step', bytes: toOnnx(evalStep.graph, evalStep.outputs, { name: 'eval_step', dtype: 'float32', avoid }) },
    ],
    options.provider,
  );
}
