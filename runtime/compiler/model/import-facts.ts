// What the editor and `minima check` learn about an imported file, read once by the project's
// own importer: its parameters with every name a recipe may address them by, the layers with their
// shapes and FLOPs, and the operators it cannot train through (each named with its node). A plain
// value: the checker receives it through the resolver its host injects, and never reads files.

import { importOnnxModel, type ImportedLayer, type UnsupportedNode } from './import';
import { refersTo } from './layer-select';
import { reductionOf, type ParamInfo } from './types';

export interface ImportFactsParam {
  /** The PyTorch parameter name (`encoder.layers.0.linear1.weight`). */
  readonly name: string;
  /** The ONNX node that reads it (`/encoder/layers.0/linear1/MatMul`), which is its layer. */
  readonly layer: string;
  /** Its module path (`encoder.layers.0.linear1`); '' when the node has no scope. */
  readonly module: string;
  readonly role: ParamInfo['role'];
  readonly shape: readonly number[];
  /** Matrices and kernels, which prune, quantize and lowrank act on. */
  readonly compressible: boolean;
  /** The input width N:M groups run along. */
  readonly reduction: number;
}

export type ImportFacts =
  | {
    readonly ok: true;
    /** The input per example, as the file declares it (after its batch dim). */
    readonly inputShape: readonly number[];
    readonly outputWidth: number;
    readonly params: readonly ImportFactsParam[];
    readonly layers: readonly ImportedLayer[];
    readonly buffers: number;
    readonly merged: readonly { readonly initializer: string; readonly copies: readonly string[] }[];
    /** Indices into `params` of those a recipe's reference names (layer-select.ts: names, module paths, node names, globs). */
    readonly select: (ref: string) => readonly number[];
  }
  | { readonly ok: false; readonly message: string; readonly unsupported: readonly UnsupportedNode[] };

export function importFacts(bytes: Uint8Array): ImportFacts {
  const r = importOnnxModel(bytes);
  if (!r.ok) return { ok: false, message: r.message, unsupported: r.unsupported };
  const { model, summary, layers } = r.imported;
  const params = model.params;
  return {
    ok: true,
    inputShape: model.inputShape,
    outputWidth: model.outputWidth,
    params: params.map((p) => ({ name: p.name, layer: p.layer, module: p.origin?.module ?? '', role: p.role, shape: p.shape, compressible: p.compressible, reduction: reductionOf(p) })),
    layers,
    buffers: model.buffers.length,
    merged: summary.merged,
    select: (ref) => params.flatMap((p, i) => (refersTo(p, ref) ? [i] : [])),
  };
}
