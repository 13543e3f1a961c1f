// importOnnxModel on hand-built ONNX graphs (written with compiler/onnx's encoder): opset 13+
// forms that toOnnx never writes (Constant, Squeeze/Unsqueeze with axes inputs, Dropout with a
// ratio input, Identity, Clip with min/max inputs, float32 initializers, a named batch dim), and
// files that must be refused with a reason.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as c from '../..';
import { type NodeMsg, type TensorMsg, type ValueInfoMsg, encodeModel, tensorBytes } from '../../onnx';
import { type ImportedModel, type ImportResult, importOnnxModel } from '../import';
import { randomTensor, seededRandom } from '../../../testing/gradcheck';
import { feedsFor, instantiate } from '../../../testing/model-harness';

const node = (opType: string, name: string, inputs: readonly string[], outputs: readonly string[], attrs: NodeMsg['attrs'] = {}): NodeMsg => ({ opType, name, inputs, outputs, attrs });
const floats = (name: string, dims: readonly number[], values: readonly number[]): TensorMsg => ({ name, dtype: 'float32', dims, raw: tensorBytes('float32', values) });
const int64s = (name: string, values: readonly number[]): TensorMsg => ({ name, dtype: 'int64', dims: [values.length], raw: tensorBytes('int64', values) });

function model(nodes: readonly NodeMsg[], initializers: readonly TensorMsg[], inputs: readonly ValueInfoMsg[], output: ValueInfoMsg): Uint8Array {
  return encodeModel({ irVersion: 8, opset: 17, producerName: 'test', graph: { name: 'g', nodes, initializers, inputs, outputs: [output], valueInfo: [] } });
}

const W = [0.5, -1, 0.25, 2, -0.75, 1.5];
const B = [0.1, -0.2];
const RATIO = 0.25;

/** x [N, 3] → Unsqueeze → Dropout → Squeeze → Identity → Reshape(Constant [0, −1]) → MatMul → Add → Clip. */
const HANDMADE = model(
  [
    node('Unsqueeze', 'unsq', ['x', 'axes2'], ['u']),
    node('Dropout', 'drop', ['u', 'ratio'], ['d']),
    node('Squeeze', 'sq', ['d', 'axes2'], ['s']),
    node('Identity', 'id', ['s'], ['i']),
    node('Constant', 'shape', [], ['shp'], { value_ints: { type: 'ints', value: [0, -1] } }),
    node('Reshape', 'flat', ['i', 'shp'], ['r']),
    node('MatMul', 'fc', ['r', 'W'], ['m']),
    node('Add', 'fc_bias', ['m', 'b'], ['a']),
    node('Clip', 'clip', ['a', 'lo', 'hi'], ['y']),
  ],
  [floats('W', [3, 2], W), floats('b', [2], B), int64s('axes2', [2]), floats('ratio', [], [RATIO]), floats('lo', [], [-0.5]), floats('hi', [], [0.75])],
  [{ name: 'x', dtype: 'float32', dims: ['N', 3] }],
  { name: 'y', dtype: 'float32', dims: ['N', 2] },
);

function imported(r: ImportResult): ImportedModel {
  if (!r.ok) throw new Error(`import failed: ${r.message}`);
  return r.imported;
}

/** The same function built directly: clip(dropout(x)·W + b) with float32-rounded constants. */
function expected(x: c.Tensor, mask?: c.Tensor): c.Tensor {
  const g = new c.GraphBuilder();
  const xv = g.input('x', ['B', 3]);
  const dropped = mask ? c.reshape(c.dropout(c.reshape(xv, [0, 3, 1]), g.input('mask', ['B', 3, 1], 'bool'), Math.fround(RATIO)), [0, -1]) : xv;
  const w = g.constant(c.tensor([3, 2], W.map(Math.fround)));
  const y = c.clip(c.linear(dropped, w, g.constant(c.tensor([2], B.map(Math.fround)))), -0.5, 0.75);
  return c.interpret([y], mask ? { x, mask } : { x })[0] as c.Tensor;
}

test('opset 13+ forms: Constant, Squeeze/Unsqueeze axes inputs, Dropout, Identity, Clip inputs', () => {
  const { model: m, initial } = imported(importOnnxModel(HANDMADE, {}));
  assert.deepEqual(m.params.map((p) => `${p.name}@${p.layer}:${p.role}`), ['W@fc:weight', 'b@fc:bias']);
  assert.deepEqual(initial.params.map((p) => [...p]), [W.map(Math.fround), B.map(Math.fround)]);
  assert.deepEqual(m.dropouts, [{ layer: 'drop', shape: [3, 1], ratio: Math.fround(RATIO) }]);
  const x = randomTensor({ shape: [5, 3], lo: -2, hi: 2 }, seededRandom(1));
  const inst = instantiate(m, 'eval');
  const [y] = c.interpret([inst.result.output], feedsFor(m, { x, params: initial.params, buffers: [] }));
  assert.deepEqual(y?.data, expected(x).data);
});

test('Dropout in train mode applies the fed keep-mask', () => {
  const { model: m, initial } = imported(importOnnxModel(HANDMADE, {}));
  const x = randomTensor({ shape: [5, 3], lo: -2, hi: 2 }, seededRandom(2));
  const mask = c.tensor([5, 3, 1], Array.from({ length: 15 }, (_, i) => (i % 3 === 1 ? 0 : 1)), 'bool');
  const inst = instantiate(m, 'train');
  const [y] = c.interpret([inst.result.output], feedsFor(m, { x, params: initial.params, buffers: [], masks: [mask] }));
  assert.deepEqual(y?.data, expected(x, mask).data);
});

test('unsupported operators are listed with their nodes', () => {
  const bytes = model(
    [node('LSTM', 'lstm_1', ['x', 'W', 'R'], ['h']), node('Relu', 'relu_1', ['h'], ['r']), node('TopK', 'topk_1', ['r', 'k'], ['v', 'idx'])],
    [floats('W', [1, 8, 3], new Array<number>(24).fill(0.1)), floats('R', [1, 8, 2], new Array<number>(16).fill(0.1)), int64s('k', [1])],
    [{ name: 'x', dtype: 'float32', dims: [5, 'N', 3] }],
    { name: 'v', dtype: 'float32', dims: [5, 'N', 1] },
  );
  const r = importOnnxModel(bytes, {});
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.deepEqual(r.unsupported, [{ op: 'LSTM', node: 'lstm_1' }, { op: 'TopK', node: 'topk_1' }]);
  assert.equal(r.message, 'the model uses operators Minima cannot train through: LSTM (node lstm_1), TopK (node topk_1)');
});

interface Refusal {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly options?: { readonly inputShape?: readonly number[] };
  readonly message: RegExp;
}

const X: ValueInfoMsg = { name: 'x', dtype: 'float32', dims: ['N', 3] };
const Y: ValueInfoMsg = { name: 'y', dtype: 'float32', dims: ['N', 2] };

const REFUSALS: readonly Refusal[] = [
  {
    name: 'shapes that do not fit',
    bytes: model([node('MatMul', 'fc', ['x', 'W'], ['y'])], [floats('W', [4, 2], new Array<number>(8).fill(1))], [X], Y),
    message: /the model's shapes do not fit at MatMul node fc: MatMul/,
  },
  {
    name: 'a Reshape target computed at run time',
    bytes: model([node('Relu', 'r', ['x'], ['s']), node('Reshape', 'flat', ['x', 's'], ['y'])], [], [X], Y),
    message: /Reshape node flat takes its shape \(input 1\) from a computed value/,
  },
  {
    name: 'two data inputs',
    bytes: model([node('Add', 'add', ['x', 'z'], ['y'])], [], [X, { ...X, name: 'z' }], Y),
    message: /exactly one data input, it has 2 \(x, z\)/,
  },
  {
    name: 'symbolic feature dims without an input shape',
    bytes: model([node('Relu', 'r', ['x'], ['y'])], [], [{ ...X, dims: ['N', 'F'] }], Y),
    message: /symbolic dims after the batch; give the input shape/,
  },
  {
    name: 'a node that reads a value nothing provides',
    bytes: model([node('Add', 'add', ['x', 'ghost'], ['y'])], [], [X], Y),
    message: /Add node add reads ghost, which neither an initializer nor an earlier node provides/,
  },
  {
    name: 'ceil_mode pooling',
    bytes: model([node('MaxPool', 'pool', ['x'], ['y'], { kernel_shape: { type: 'ints', value: [2, 2] }, ceil_mode: { type: 'int', value: 1 } })], [], [{ ...X, dims: ['N', 1, 4, 4] }], Y),
    message: /MaxPool node pool uses ceil_mode = 1/,
  },
];

for (const r of REFUSALS) {
  test(`refused with a reason: ${r.name}`, () => {
    const result = importOnnxModel(r.bytes, r.options ?? {});
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.message, r.message);
  });
}

test('symbolic feature dims are accepted with an input shape', () => {
  const bytes = model([node('Relu', 'r', ['x'], ['y'])], [], [{ ...X, dims: ['N', 'F'] }], Y);
  const r = imported(importOnnxModel(bytes, { inputShape: [7] }));
  assert.deepEqual([r.model.inputShape, r.model.outputWidth, r.model.params.length], [[7], 7, 0]);
});
