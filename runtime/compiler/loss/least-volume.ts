// least_volume (catalog A33; official IDEALLab/Least_Volume_ICLR2024, VolumeAE.loss_spar): the
// latent volume exp(mean_i log(std(z_i) + η)) of a batch of latent codes z [B, d], with the
// unbiased std over the batch as torch's `z.std(0)`. z is found in the graph as the output of the
// Gemm (or Conv) that reads the latent layer's own weight, i.e. the latent layer's affine output
// (as the official encoder ends in a Linear); nothing in the graph changes to expose it. The
// decoder's weights may be reparametrized (spectral norm): only the latent layer's must not be.

import type { GraphBuilder } from '../builder';
import type { Value } from '../ir';
import { add, div, mul, sub } from '../ops/binary';
import { expand } from '../ops/expand';
import { reduceMean, reduceSum } from '../ops/reduce';
import { exp, log, sqrt } from '../ops/unary';

/** The output of the Gemm, MatMul or Conv node whose second input is `weight`, if the graph has one. */
export function layerOutput(g: GraphBuilder, weight: Value): Value | undefined {
  for (const n of g.nodes) if ((n.op.name === 'Gemm' || n.op.name === 'MatMul' || n.op.name === 'Conv') && n.inputs[1] === weight) return n.outputs[0];
  return undefined;
}

/** exp(mean_i log(std_batch(z_i) + η)) over the non-batch entries of z. */
export function latentVolume(z: Value, eta: number): Value {
  const centered = sub(z, reduceMean(z, [0], true));
  const count = reduceSum(expand(z.graph.scalar(1, z.dtype), z), [0], false);
  const variance = div(reduceSum(mul(centered, centered), [0], false), sub(count, 1));
  return exp(reduceMean(log(add(sqrt(variance), eta)), [], false));
}
