// The Fisher graph of fwsvd (catalog A58): on one batch, the squared gradient (∂L/∂W)² of the
// batch-mean loss for each targeted weight. The model runs in evaluation mode with its buffers
// frozen (as the probes do: compiler/step/probes.ts), so estimating the Fisher information never
// changes what training sees and needs no dropout masks. The host sums the outputs over batches.

import { GraphBuilder } from '../builder';
import { grad } from '../grad';
import type { DType, Value } from '../ir';
import { square } from '../ops/binary';
import type { ModelGraph } from '../model/types';
import type { LossFn } from '../step/train-step';

export interface FisherSpec {
  readonly model: ModelGraph;
  readonly loss: LossFn;
  readonly targetWidth: number;
  readonly dtype: DType;
  /** Indices into `model.params` of the weights whose Fisher information is wanted. */
  readonly targets: readonly number[];
}

/** The output name of parameter `name`'s squared gradient. */
export const fisherName = (param: string): string => `fisher.${param}`;

/** Inputs x, y, every parameter and buffer (model names); outputs `loss` and `fisher.<param>` per target. */
export function buildFisherGraph(spec: FisherSpec): { graph: GraphBuilder; outputs: { name: string; value: Value }[] } {
  const { model, dtype } = spec;
  const g = new GraphBuilder();
  const x = g.input('x', ['B', ...model.inputShape], dtype);
  const y = g.input('y', ['B', spec.targetWidth], dtype);
  const params = model.params.map((p) => g.input(p.name, p.shape, dtype));
  const buffers = model.buffers.map((b) => g.input(b.name, b.shape, dtype));
  const loss = spec.loss(g, model.forward(g, x, params, buffers, { mode: 'eval', updateBuffers: false }).output, y);
  const targets = spec.targets.map((i) => params[i] as Value);
  const grads = grad(loss, targets);
  return {
    graph: g,
    outputs: [{ name: 'loss', value: loss }, ...grads.map((gr, k) => ({ name: fisherName(model.params[spec.targets[k] ?? 0]?.name ?? `${k}`), value: square(gr) }))],
  };
}
