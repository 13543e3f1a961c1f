// dp_sat (catalog A07) in the graphs: the train step takes its gradient from the host, where the
// pass (engine/passes/dp-pass.ts) privatizes per-example gradients (clip, sum, noise, average);
// the step only reports the loss at w and hands the fed gradient to the base optimizer. The
// per-example gradients come from a separate graph, run on one example at a time.

import { GraphBuilder } from '../builder';
import { grad } from '../grad';
import type { DType, Value } from '../ir';
import type { ModelGraph } from '../model/types';
import type { LossFn } from '../step/train-step';
import type { WrapperBuilder } from './types';

/** The train-step input that carries the privatized gradient of parameter `name`. */
export const dpGradName = (param: string): string => `dp_grad.${param}`;
/** The per-example graph's output: the gradient of parameter `name`. */
export const exampleGradName = (param: string): string => `grad.${param}`;

export const dpSat: WrapperBuilder = {
  name: 'dp_sat',
  ownGradients: true,
  state: () => [],
  gradient: (g, { params, infos, lossAndGrad }) => {
    // The loss (and the reported logits, and the buffers) at the unperturbed weights; its own
    // gradient is not used.
    const first = lossAndGrad(params, { updateBuffers: true });
    const grads = infos.map((p, i) => g.input(dpGradName(p.name), p.shape, params[i]?.dtype ?? 'float32'));
    return { loss: first.loss, grads, state: [] };
  },
};

/** Inputs x, y, every parameter and buffer; outputs `grad.<param>` for every parameter (evaluation mode, buffers frozen). */
export function buildExampleGradients(spec: { readonly model: ModelGraph; readonly loss: LossFn; readonly targetWidth: number; readonly dtype: DType }): { graph: GraphBuilder; outputs: { name: string; value: Value }[] } {
  const { model, dtype } = spec;
  const g = new GraphBuilder();
  const x = g.input('x', ['B', ...model.inputShape], dtype);
  const y = g.input('y', ['B', spec.targetWidth], dtype);
  const params = model.params.map((p) => g.input(p.name, p.shape, dtype));
  const buffers = model.buffers.map((b) => g.input(b.name, b.shape, dtype));
  const loss = spec.loss(g, model.forward(g, x, params, buffers, { mode: 'eval', updateBuffers: false }).output, y);
  return { graph: g, outputs: grad(loss, params).map((v, i) => ({ name: exampleGradName(model.params[i]?.name ?? `${i}`), value: v })) };
}
