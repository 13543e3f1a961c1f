// One builder per layer kind of the catalog (runtime/catalog/layers/*.ts is the contract for their
// arguments, weights and shapes). Weights follow PyTorch layouts: dense [units, in] (nn.Linear),
// conv2d [out, in/groups, k, k] (nn.Conv2d, NCHW).

import { inputGradient } from '../compress/bimask';
import { mul } from '../ops/binary';
import { cast } from '../ops/compare';
import { conv } from '../ops/conv';
import { denseOverImage, flattenImage } from '../ops/conv-dense';
import { dropout } from '../ops/derived';
import { averagePool, maxPool } from '../ops/pool';
import type { Value } from '../ir';
import { activate } from './activation';
import { type BuiltLayer, type LayerContext, type LayerOutput, paramInfo, take } from './layer';
import { type NormPlan, planNorm } from './norm';
import { type LayerSpec, type TechniqueArgs, boolArg, numberArg, techniqueArg } from './recipe';
import type { ParamInfo } from './types';

/** Builds one layer from its spec, its input shape per example and the model's init technique. */
export function buildLayer(spec: LayerSpec, input: readonly number[], init: TechniqueArgs): BuiltLayer {
  const args = spec.use.args;
  switch (spec.use.name) {
    case 'dense':
      return dense(spec.name, input, args, init);
    case 'conv2d':
      return conv2d(spec.name, input, args, init);
    case 'maxpool':
    case 'avgpool':
      return pool(spec.name, spec.use.name, input, args);
    case 'flatten':
      return passive(spec.name, [product(input)], (x) => flattenImage(x));
    case 'dropout':
      return dropoutLayer(spec.name, input, numberArg(args, 'p', 0.5));
    default:
      throw new Error(`model: unknown layer kind ${spec.use.name} (${spec.name})`);
  }
}

type Args = Readonly<Record<string, unknown>>;

function dense(name: string, input: readonly number[], args: Args, init: TechniqueArgs): BuiltLayer {
  const units = numberArg(args, 'units');
  const inFeatures = product(input);
  const weight = paramInfo(name, 'weight', 'weight', [units, inFeatures], { kind: 'technique', name: init.name, args: init.args, fanIn: inFeatures, fanOut: units });
  // Image inputs are flattened first (channel-major, as nn.Flatten).
  return weighted(name, [units], weight, units, args, (x, w, b) => denseOverImage(x, w, b));
}

function conv2d(name: string, input: readonly number[], args: Args, init: TechniqueArgs): BuiltLayer {
  const [c, h, w] = image(name, input);
  const channels = numberArg(args, 'channels');
  const k = numberArg(args, 'kernel', 3);
  const s = numberArg(args, 'stride', 1);
  const pad = numberArg(args, 'pad', 0);
  const groups = numberArg(args, 'groups', 1);
  const receptive = k * k;
  const weight = paramInfo(name, 'weight', 'weight', [channels, c / groups, k, k], {
    kind: 'technique', name: init.name, args: init.args, fanIn: (c / groups) * receptive, fanOut: channels * receptive,
  });
  const output = [channels, window(h, k, s, pad), window(w, k, s, pad)];
  return weighted(name, output, weight, channels, args, (x, wv, b) => conv(x, wv, { strides: [s, s], pads: [pad, pad, pad, pad], group: groups }, b));
}

/** A layer with a weight, an optional bias, a norm and an activation: act(norm(op(x, W, b))). */
function weighted(name: string, output: readonly number[], weight: ParamInfo, features: number, args: Args, op: (x: Value, w: Value, b: Value | undefined) => Value): BuiltLayer {
  const hasBias = boolArg(args, 'bias', true);
  const bias = hasBias ? [paramInfo(name, 'bias', 'bias', [features], { kind: 'zeros' })] : [];
  const norm: NormPlan = planNorm(name, techniqueArg(args, 'norm'), features, weight);
  const own = 1 + bias.length;
  return {
    name,
    output,
    params: [weight, ...bias, ...norm.params],
    buffers: norm.buffers,
    apply: (x, params, buffers, ctx): LayerOutput => {
      const normParams = params.slice(own);
      let w = take(params, 0, `${name}.weight`);
      let newBuffers = buffers;
      if (norm.acts === 'weight') ({ value: w, buffers: newBuffers } = norm.apply(w, normParams, buffers, ctx));
      // Bi-Mask (compress/bimask.ts): x's gradient through the backward mask, when the weight has one.
      let y = inputGradient(op(x, w, hasBias ? take(params, 1, `${name}.bias`) : undefined), x, w);
      if (norm.acts === 'output') ({ value: y, buffers: newBuffers } = norm.apply(y, normParams, buffers, ctx));
      return { y: activate(y, techniqueArg(args, 'act')), buffers: newBuffers };
    },
  };
}

function pool(name: string, kind: 'maxpool' | 'avgpool', input: readonly number[], args: Args): BuiltLayer {
  const [c, h, w] = image(name, input);
  const size = numberArg(args, 'size', 2);
  const stride = numberArg(args, 'stride', size);
  const o = { kernel: [size, size] as const, strides: [stride, stride] as const };
  return passive(name, [c, window(h, size, stride, 0), window(w, size, stride, 0)], (x) => (kind === 'maxpool' ? maxPool(x, o) : averagePool(x, o)));
}

/**
 * Inverted dropout: train mode multiplies by the site's keep-mask and 1/(1 − p); eval mode is the
 * identity. A bool mask goes through the IR's `dropout`; a float {0, 1} mask is used as it is.
 */
function dropoutLayer(name: string, input: readonly number[], p: number): BuiltLayer {
  return {
    name,
    output: [...input],
    params: [],
    buffers: [],
    dropout: { layer: name, shape: [...input], ratio: p },
    apply: (x, _params, _buffers, ctx: LayerContext): LayerOutput => {
      if (ctx.mode === 'eval') return { y: x, buffers: [] };
      const mask = ctx.mask;
      if (mask === undefined) throw new Error(`model: dropout ${name} needs a keep-mask in train mode`);
      return { y: mask.dtype === 'bool' ? dropout(x, mask, p) : mul(x, mul(mask.dtype === x.dtype ? mask : cast(mask, x.dtype), 1 / (1 - p))), buffers: [] };
    },
  };
}

/** A layer without parameters or buffers. */
function passive(name: string, output: readonly number[], f: (x: Value) => Value): BuiltLayer {
  return { name, output, params: [], buffers: [], apply: (x) => ({ y: f(x), buffers: [] }) };
}

function image(name: string, input: readonly number[]): [number, number, number] {
  const [c, h, w] = input;
  if (input.length !== 3 || c === undefined || h === undefined || w === undefined) throw new Error(`model: ${name} needs an image input [c, h, w], got [${input.join(', ')}]`);
  return [c, h, w];
}

function window(size: number, k: number, stride: number, pad: number): number {
  return Math.floor((size + 2 * pad - k) / stride) + 1;
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
