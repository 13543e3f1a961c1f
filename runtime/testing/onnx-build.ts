// Test support: small ONNX files written by hand with compiler/onnx's encoder, in the forms
// torch.onnx.export writes (opset 17, named scopes, int64 shape operands), for import tests.

import type { Dim } from '../compiler';
import { type NodeMsg, type TensorMsg, encodeModel, tensorBytes } from '../compiler/onnx';

export const node = (opType: string, name: string, inputs: readonly string[], outputs: readonly string[], attrs: NodeMsg['attrs'] = {}): NodeMsg => ({ opType, name, inputs, outputs, attrs });
export const floats = (name: string, dims: readonly number[], values: readonly number[]): TensorMsg => ({ name, dtype: 'float32', dims, raw: tensorBytes('float32', values) });
export const int64s = (name: string, values: readonly number[], dims: readonly number[] = [values.length]): TensorMsg => ({ name, dtype: 'int64', dims, raw: tensorBytes('int64', values) });
export const int = (value: number): NodeMsg['attrs'][string] => ({ type: 'int', value });
export const ints = (value: readonly number[]): NodeMsg['attrs'][string] => ({ type: 'ints', value });

/** A seeded-looking but fixed ramp of n values in (-1, 1), for weights whose values do not matter. */
export function ramp(n: number, scale = 1): number[] {
  return Array.from({ length: n }, (_, i) => scale * Math.sin(1 + i * 0.7));
}

/** One graph with input x of `inputDims` and output `output`, at opset 17. */
export function onnxModel(nodes: readonly NodeMsg[], initializers: readonly TensorMsg[], inputDims: readonly Dim[], output: string, outputDims: readonly Dim[]): Uint8Array {
  return encodeModel({
    irVersion: 8,
    opset: 17,
    producerName: 'pytorch',
    graph: { name: 'main_graph', nodes, initializers, inputs: [{ name: 'x', dtype: 'float32', dims: inputDims }], outputs: [{ name: output, dtype: 'float32', dims: outputDims }], valueInfo: [] },
  });
}
