// buildModel: a checked recipe's model block as parameters, buffers, dropout sites and a forward
// function that can be instantiated several times in one graph (SAM's second pass).

import type { GraphBuilder } from '../builder';
import type { Value } from '../ir';
import { flatten } from '../ops/reshape';
import { showShape } from '../shape';
import { type BuiltLayer, take } from './layer';
import { buildLayer } from './layers';
import type { LayerSpec, ModelRecipe } from './recipe';
import { type ForwardOptions, type ForwardResult, type ModelGraph, markEdgeLayers } from './types';

export interface BuildOptions {
  /**
   * Input shape per example, for recipes whose shapes only a file knows (csv/idx data): the
   * checker then leaves `model.layers` empty and the declared layers are used with this shape.
   */
  readonly inputShape?: readonly number[];
}

/** Throws when the input shape is unknown or a layer's shape disagrees with the checker's (a bug). */
export function buildModel(recipe: ModelRecipe, options: BuildOptions = {}): ModelGraph {
  const planned = recipe.model.layers;
  const specs: readonly LayerSpec[] = planned.length > 0 ? planned : recipe.model.declared;
  const inputShape = options.inputShape ?? planned[0]?.input ?? recipe.data.shape.input;
  if (inputShape === undefined) throw new Error('buildModel: the input shape is unknown; pass options.inputShape');
  if (specs.length === 0) throw new Error('buildModel: the model has no layers');
  const layers: BuiltLayer[] = [];
  let shape: readonly number[] = inputShape;
  for (const spec of specs) {
    const layer = buildLayer(spec, shape, recipe.model.init);
    if (spec.output !== undefined && showShape(spec.output) !== showShape(layer.output)) {
      throw new Error(`buildModel: ${spec.name} gives ${showShape(layer.output)}, the checker inferred ${showShape(spec.output)}`);
    }
    layers.push(layer);
    shape = layer.output;
  }
  return modelOf(layers, inputShape, shape.reduce((a, b) => a * b, 1));
}

function modelOf(layers: readonly BuiltLayer[], inputShape: readonly number[], outputWidth: number): ModelGraph {
  const params = markEdgeLayers(layers.flatMap((l) => l.params));
  const buffers = layers.flatMap((l) => l.buffers);
  const dropouts = layers.flatMap((l) => (l.dropout ? [l.dropout] : []));
  const forward = (_g: GraphBuilder, x: Value, paramValues: readonly Value[], bufferValues: readonly Value[], options: ForwardOptions): ForwardResult => {
    if (paramValues.length !== params.length) throw new Error(`forward: ${paramValues.length} parameter values for ${params.length} parameters`);
    if (bufferValues.length !== buffers.length) throw new Error(`forward: ${bufferValues.length} buffer values for ${buffers.length} buffers`);
    const masks = options.masks ?? [];
    if (options.mode === 'train' && masks.length !== dropouts.length) throw new Error(`forward: ${masks.length} dropout masks for ${dropouts.length} sites`);
    const updateBuffers = options.updateBuffers ?? true;
    let y = x;
    let p = 0;
    let b = 0;
    let site = 0;
    const newBuffers: Value[] = [];
    for (const layer of layers) {
      const mask = layer.dropout && options.mode === 'train' ? take(masks, site, `dropout mask ${site}`) : undefined;
      if (layer.dropout) site++;
      const out = layer.apply(y, paramValues.slice(p, p + layer.params.length), bufferValues.slice(b, b + layer.buffers.length), {
        mode: options.mode,
        updateBuffers,
        ...(mask ? { mask } : {}),
      });
      p += layer.params.length;
      b += layer.buffers.length;
      newBuffers.push(...out.buffers);
      y = out.y;
    }
    // A model that ends on an image layer still yields [B, features].
    return { output: y.shape.length > 2 ? flatten(y, 1) : y, buffers: newBuffers };
  };
  return { params, buffers, dropouts, inputShape: [...inputShape], outputWidth, forward };
}
