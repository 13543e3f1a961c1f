// Which weights a compression block (prune, quantize, lowrank) acts on. A built-in model's layers
// are named by the checker (`dense_1`), and a reference names exactly one. An imported model's
// layers are addressed by the names a PyTorch user knows (import-names.ts: `matchesPattern`):
// a parameter name (`encoder.layers.0.linear1.weight`), a module path (`encoder.layers.0.linear1`,
// which selects every weight under it), the ONNX node that reads the weight
// (`/encoder/layers.0/linear1/MatMul`), or a glob over any of these (`encoder.layers.*.linear*`).
//
// Without `layers`, both kinds of model follow one rule, stated once here for the engine and in
// the checker's `defaultCompressTargets` for built-in models: prune and lowrank take every layer
// with a compressible weight except the first and the last; quantize takes every such layer.

import { matchesPattern } from './import-names';
import type { ParamInfo } from './types';

/** Which default the block has when it lists no layers. */
export type DefaultTargets = 'hidden' | 'all';

export interface LayerSelection {
  /** Indices into `params` of the compressible weights selected, in the model's order. */
  readonly targets: readonly number[];
  /** The written names or patterns that selected no compressible weight. */
  readonly unmatched: readonly string[];
}

/**
 * The compressible weights `refs` names (or, when `refs` is undefined, the default of the block).
 * A reference to a built-in model's layer is its name; to an imported one, see the header.
 */
export function selectLayers(params: readonly ParamInfo[], refs: readonly string[] | undefined, fallback: DefaultTargets): LayerSelection {
  const weighted = params.flatMap((p, i) => (p.compressible ? [i] : []));
  if (refs === undefined) return { targets: defaultTargets(params, weighted, fallback), unmatched: [] };
  const hit = new Set<number>();
  const unmatched: string[] = [];
  for (const ref of refs) {
    const found = weighted.filter((i) => refersTo(params[i] as ParamInfo, ref));
    if (found.length === 0) unmatched.push(ref);
    found.forEach((i) => hit.add(i));
  }
  return { targets: weighted.filter((i) => hit.has(i)), unmatched };
}

/** Whether `ref` names this parameter (see the header); every name of a built-in one is its layer's. */
export function refersTo(p: ParamInfo, ref: string): boolean {
  if (p.layer === ref) return true;
  const o = p.origin;
  if (o === undefined) return false;
  return [o.torchName, o.node, o.onnx, o.module].some((n) => n !== '' && matchesPattern(n, ref));
}

/** The layers (in order of their first compressible weight) with their weights' indices. */
function defaultTargets(params: readonly ParamInfo[], weighted: readonly number[], fallback: DefaultTargets): number[] {
  const layers: string[] = [];
  for (const i of weighted) {
    const layer = (params[i] as ParamInfo).layer;
    if (!layers.includes(layer)) layers.push(layer);
  }
  const chosen = new Set(fallback === 'all' ? layers : layers.slice(1, -1));
  return weighted.filter((i) => chosen.has((params[i] as ParamInfo).layer));
}
