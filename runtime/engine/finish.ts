// After the last step: the compressed model (factored lowrank layers, 8-bit weights, ptq's
// calibrated activations), evaluated as exported (compress/export.ts), the phase events of that
// compression, the files written, and the per-layer compression report.

import type { CheckedRecipe } from '../checker';
import { exportCompressed, type ExportInputs } from './compress';
import { compressionReport, exportedFactors, type LayerCompression } from './compression-report';
import { batches, type Dataset } from './data';
import type { Metrics } from './events';
import type { ExportContribution } from './passes';

/** The export's inputs (the trained weights the model computes with: pruned entries zero), plus what the run knows. */
export interface FinishInputs extends Pick<ExportInputs, 'backend' | 'model' | 'trained' | 'buffers' | 'loss' | 'targetWidth' | 'classification' | 'valSet'> {
  readonly recipe: CheckedRecipe;
  readonly trainSet: Dataset;
  readonly batch: number;
  readonly seed: number;
  readonly shuffle: boolean;
  readonly contributions: ExportContribution;
  /** The exported graph's name: the run's (the recipe's name, or its file's); default `graphName(recipe)`. */
  readonly name?: string;
  /** Emits a post-training event (phases and warnings), stamped by the loop. */
  readonly emit: (e: { readonly type: 'phase'; readonly phase: string; readonly detail: string } | { readonly type: 'warning'; readonly message: string }) => void;
}

export interface Finished {
  readonly bytes: Uint8Array;
  readonly metrics: Metrics;
  readonly compression: readonly LayerCompression[];
}

export async function finishRun(f: FinishInputs): Promise<Finished> {
  const { lowrank, pruned, quantize } = f.contributions;
  const final = await exportCompressed({
    backend: f.backend,
    model: f.model,
    trained: f.trained,
    buffers: f.buffers,
    loss: f.loss,
    targetWidth: f.targetWidth,
    classification: f.classification,
    valSet: f.valSet,
    name: f.name ?? graphName(f.recipe),
    ...(lowrank ? { lowrank } : {}),
    ...(pruned ? { pruned: pruned.targets } : {}),
    ...(quantize ? { quantize: { plan: quantize.plan, apply: quantize.apply } } : {}),
    calibration: () => batches(f.trainSet, { batch: f.batch, seed: f.seed, epoch: 0, shuffle: f.shuffle }),
  });
  for (const p of final.phases.filter((p) => p.phase === 'lowrank')) f.emit({ type: 'phase', phase: p.phase, detail: p.detail });
  if (quantize) {
    const spec = quantize.plan.spec;
    f.emit({ type: 'phase', phase: 'quantization', detail: `${spec.bits}-bit weights in ${quantize.plan.targets.length} layers (${spec.perChannel ? 'per channel' : 'per tensor'}, ${spec.symmetric ? 'symmetric' : 'asymmetric'}, ${quantize.detail?.() ?? spec.range.kind})` });
    if (spec.bits > 8) f.emit({ type: 'warning', message: `${spec.bits}-bit weights are exported as float values on the quantization grid and activations stay float32: ONNX opset 17 has no QuantizeLinear wider than 8 bits` });
  }
  for (const p of final.phases.filter((p) => p.phase === 'quantization')) f.emit({ type: 'phase', phase: p.phase, detail: p.detail });
  for (const message of final.warnings) f.emit({ type: 'warning', message });
  const compression = compressionReport({
    infos: f.model.params,
    weights: f.trained,
    ...(pruned ? { pruned: { targets: pruned.targets, ...(pruned.pattern ? { pattern: pruned.pattern } : {}) } } : {}),
    ...(quantize ? { quantized: { targets: quantize.plan.targets, bits: quantize.plan.spec.bits, perChannel: quantize.plan.spec.perChannel } } : {}),
    ...(lowrank ? { ranks: lowrank.ranks() } : {}),
    factored: exportedFactors(final.compression.factored),
  });
  return { bytes: final.bytes, metrics: final.metrics, compression };
}

/** A graph name from the recipe alone: its `recipe "…"` name, else the stem of its export path, else `model`. */
export function graphName(recipe: CheckedRecipe): string {
  if (recipe.name !== 'untitled') return recipe.name;
  const exported = recipe.blocks['report']?.attrs['export'];
  const stem = typeof exported === 'string' ? (exported.split(/[\\/]/).pop() ?? '').replace(/\.onnx$/i, '') : '';
  return stem !== '' ? stem : 'model';
}

