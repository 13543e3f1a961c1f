// importOnnxModel on the forms torch.onnx.export writes, in small hand-built files: views through
// Shape/Gather/Concat with the symbolic batch, Split, Gather on a tensor, training-mode Dropout
// with float masks, the flat input of an image model; and which tensors train: a second Add's
// positional embedding, an exporter's merged copies (untied, or tied), weight tying, freezing,
// non-differentiable operands; and the PyTorch names recovered from scopes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as c from '../..';
import { type ImportOptions, type ImportedModel, importOnnxModel } from '../import';
import { randomTensor, seededRandom } from '../../../testing/gradcheck';
import { feedsFor, instantiate } from '../../../testing/model-harness';
import { floats, int, int64s, node, onnxModel, ramp } from '../../../testing/onnx-build';

function imported(bytes: Uint8Array, options: ImportOptions = {}): ImportedModel {
  const r = importOnnxModel(bytes, options);
  if (!r.ok) throw new Error(`import failed: ${r.message}`);
  return r.imported;
}

/** The model's eval output on x, with the file's values. */
function run(m: ImportedModel, x: c.Tensor, mode: 'eval' | 'train' = 'eval', masks: readonly c.Tensor[] = []): c.Tensor {
  const inst = instantiate(m.model, mode, { maskDtype: 'float64' });
  const [y] = c.interpret([inst.result.output], feedsFor(m.model, { x, params: m.initial.params, buffers: m.initial.buffers, masks }));
  if (y === undefined) throw new Error('no output');
  return y;
}

/** Every parameter's gradient of Σ output·r, by name (all must be nonzero somewhere). */
function gradientsReach(m: ImportedModel, x: c.Tensor): string[] {
  const inst = instantiate(m.model, 'eval');
  const loss = c.sum(c.mul(inst.result.output, inst.result.output));
  const grads = c.interpret(c.grad(loss, inst.params), feedsFor(m.model, { x, params: m.initial.params, buffers: m.initial.buffers }));
  return m.model.params.filter((_, i) => grads[i]?.data.some((v) => v !== 0)).map((p) => p.name);
}

const X3 = randomTensor({ shape: [5, 4, 6], lo: -1, hi: 1 }, seededRandom(4));

/** x [N, 4, 6] viewed as [N·4, 6] through the shape subgraph PyTorch writes for x.view(-1, 6)… and back as [N, 24]. */
const VIEWS = onnxModel(
  [
    node('Shape', '/Shape', ['x'], ['s']),
    node('Gather', '/Gather', ['s', 'zero'], ['n'], { axis: int(0) }),
    node('Mul', '/Mul', ['n', 'four'], ['n4']),
    node('Unsqueeze', '/Unsqueeze', ['n4', 'axis0'], ['n4v']),
    node('Concat', '/Concat', ['n4v', 'six'], ['target'], { axis: int(0) }),
    node('Reshape', '/Reshape', ['x', 'target'], ['rows']),
    node('Relu', '/Relu', ['rows'], ['r']),
    node('Shape', '/Shape_1', ['x'], ['s1']),
    node('Gather', '/Gather_1', ['s1', 'zero'], ['n1'], { axis: int(0) }),
    node('Unsqueeze', '/Unsqueeze_1', ['n1', 'axis0'], ['n1v']),
    node('Concat', '/Concat_1', ['n1v', 'minus1'], ['back'], { axis: int(0) }),
    node('Reshape', '/Reshape_1', ['r', 'back'], ['y']),
  ],
  [int64s('zero', [0], []), int64s('four', [4], []), int64s('axis0', [0]), int64s('six', [6]), int64s('minus1', [-1])],
  ['batch', 4, 6],
  'y',
  ['batch', 24],
);

test('views through Shape → Gather → Mul → Concat → Reshape fold with the symbolic batch', () => {
  const m = imported(VIEWS);
  assert.deepEqual([m.model.inputShape, m.model.outputWidth], [[4, 6], 24]);
  const y = run(m, X3);
  assert.deepEqual(y.shape, [5, 24]);
  assert.deepEqual([...y.data], [...X3.data].map((v) => Math.max(0, v)));
});

test('a view the static shape cannot express is refused with its node', () => {
  const bytes = onnxModel(
    [node('Shape', '/Shape', ['x'], ['s']), node('Gather', '/Gather', ['s', 'zero'], ['n'], { axis: int(0) }), node('Mul', '/attn/Mul', ['n', 'n'], ['nn']), node('Unsqueeze', '/U', ['nn', 'axis0'], ['t']), node('Reshape', '/R', ['x', 't'], ['y'])],
    [int64s('zero', [0], []), int64s('axis0', [0])],
    ['batch', 4, 6],
    'y',
    ['?'],
  );
  const r = importOnnxModel(bytes);
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.message, /^Mul node \/attn\/Mul computes B Mul B from the batch size/);
});

test('Split with sizes, Split into equal parts, and unused outputs', () => {
  const bytes = onnxModel(
    [
      node('Split', '/Split', ['x', 'sizes'], ['a', 'b'], { axis: int(2) }),
      node('Split', '/Split_1', ['x'], ['p', 'q', 'unused'], { axis: int(2) }),
      node('Mul', '/Mul', ['a', 'p'], ['ap']),
      node('Add', '/Add', ['ap', 'q'], ['y0']),
      node('Flatten', '/Flatten', ['y0'], ['y']),
      node('Identity', '/Identity', ['b'], ['b_out']),
    ],
    [int64s('sizes', [2, 4])],
    ['batch', 4, 6],
    'y',
    ['batch', 8],
  );
  const y = run(imported(bytes), X3);
  const at = (n: number, r: number, k: number): number => X3.data[n * 24 + r * 6 + k] ?? NaN;
  const expected = Array.from({ length: 5 * 8 }, (_, i) => {
    const [n, r, k] = [Math.floor(i / 8), Math.floor((i % 8) / 2), i % 2];
    return at(n, r, k) * at(n, r, k) + at(n, r, k + 2);
  });
  assert.deepEqual([...y.data], expected);
});

test('Gather on a tensor: a scalar index drops the axis, a list keeps it', () => {
  const bytes = onnxModel(
    [node('Gather', '/Gather', ['x', 'one'], ['row'], { axis: int(1) }), node('Gather', '/Gather_1', ['x', 'cols'], ['picked'], { axis: int(2) }), node('Flatten', '/F', ['picked'], ['pf']), node('Concat', '/C', ['row', 'pf'], ['y'], { axis: int(1) })],
    [int64s('one', [1], []), int64s('cols', [5, 0])],
    ['batch', 4, 6],
    'y',
    ['batch', 14],
  );
  const y = run(imported(bytes), X3);
  const first = [...y.data.subarray(0, 14)];
  const x0 = [...X3.data.subarray(0, 24)];
  assert.deepEqual(first, [...x0.slice(6, 12), ...[0, 1, 2, 3].flatMap((r) => [x0[r * 6 + 5], x0[r * 6]])]);
});

test('training-mode Dropout (ratio and training_mode inputs) applies the float keep-mask the train step feeds', () => {
  const bytes = onnxModel(
    [node('Dropout', '/drop/Dropout', ['x', 'ratio', 'training'], ['d', 'mask_out']), node('Flatten', '/F', ['d'], ['y'])],
    [floats('ratio', [], [0.25]), { name: 'training', dtype: 'bool', dims: [], raw: Uint8Array.of(1) }],
    ['batch', 4, 6],
    'y',
    ['batch', 24],
  );
  const m = imported(bytes);
  assert.deepEqual(m.model.dropouts, [{ layer: '/drop/Dropout', shape: [4, 6], ratio: 0.25 }]);
  const mask = c.tensor([5, 4, 6], Array.from({ length: 120 }, (_, i) => (i % 3 === 0 ? 0 : 1)));
  const y = run(m, X3, 'train', [mask]);
  assert.deepEqual([...y.data], [...X3.data].map((v, i) => v * ((i % 3 === 0 ? 0 : 1) * (1 / 0.75))));
  assert.deepEqual([...run(m, X3, 'eval').data], [...X3.data]);
  assert.deepEqual([m.model.params.length, m.summary.constants], [0, 1], 'the ratio stays a constant');
});

test('a flat input is reshaped to the file\'s image shape', () => {
  const m = imported(VIEWS, { inputShape: [24] });
  assert.deepEqual(m.model.inputShape, [24]);
  const flat = c.tensor([5, 24], X3.data);
  assert.deepEqual([...run(m, flat).data], [...X3.data].map((v) => Math.max(0, v)));
  assert.equal(importOnnxModel(VIEWS, { inputShape: [25] }).ok, false);
});

/** embed (MatMul + bias Add) + pos (a second Add) → two LayerNorms sharing an exporter-merged weight → head used twice. */
const MERGED = onnxModel(
  [
    node('Identity', 'Identity_0', ['blocks.0.norm.weight'], ['blocks.1.norm.weight']),
    node('Identity', 'Identity_1', ['onnx::MatMul_9'], ['onnx::MatMul_10']),
    node('MatMul', '/embed/MatMul', ['x', 'onnx::MatMul_8'], ['e']),
    node('Add', '/embed/Add', ['embed.bias', 'e'], ['eb']),
    node('Add', '/Add', ['eb', 'pos'], ['h0']),
    node('LayerNormalization', '/blocks.0/norm/LayerNormalization', ['h0', 'blocks.0.norm.weight', 'blocks.0.norm.bias'], ['n0'], { axis: int(-1) }),
    node('MatMul', '/blocks.0/lin/MatMul', ['n0', 'onnx::MatMul_9'], ['l0']),
    node('LayerNormalization', '/blocks.1/norm/LayerNormalization', ['l0', 'blocks.1.norm.weight', 'blocks.0.norm.bias'], ['n1'], { axis: int(-1) }),
    node('MatMul', '/blocks.1/lin/MatMul', ['n1', 'onnx::MatMul_10'], ['l1']),
    node('Clip', '/Clip', ['l1', 'lo', 'hi'], ['cl']),
    node('MatMul', '/head/MatMul', ['cl', 'tied'], ['t1']),
    node('MatMul', '/head2/MatMul', ['t1', 'tied'], ['t2']),
    node('Flatten', '/Flatten', ['t2'], ['y']),
  ],
  [
    floats('onnx::MatMul_8', [6, 4], ramp(24, 0.5)),
    floats('embed.bias', [4], ramp(4, 0.1)),
    floats('pos', [1, 4, 4], ramp(16, 0.2)),
    floats('blocks.0.norm.weight', [4], [1, 1, 1, 1]),
    floats('blocks.0.norm.bias', [4], [0, 0, 0, 0]),
    floats('onnx::MatMul_9', [4, 4], ramp(16, 0.7)),
    floats('tied', [4, 4], ramp(16, 0.3)),
    floats('lo', [], [-2]),
    floats('hi', [], [2]),
  ],
  ['batch', 4, 6],
  'y',
  ['batch', 16],
);

test('every float initializer on a path with a gradient trains; merged copies are untied under their own names', () => {
  const m = imported(MERGED);
  assert.deepEqual(m.model.params.map((p) => p.name), [
    'embed.weight', 'embed.bias', 'pos',
    'blocks.0.norm.weight', 'blocks.0.norm.bias', 'blocks.0.lin.weight',
    'blocks.1.norm.weight', 'blocks.1.lin.weight', 'tied',
  ]);
  assert.deepEqual(gradientsReach(m, X3), m.model.params.map((p) => p.name), 'every parameter gets a gradient');
  // blocks.0.norm.bias is read by both LayerNorms directly (no Identity): one parameter used
  // twice in PyTorch, so one tensor here; the Clip bounds carry no gradient and stay constants.
  assert.deepEqual({ ...m.summary, merged: m.summary.merged.map((x) => `${x.initializer} → ${x.copies.join(', ')}`) }, {
    trainable: 9, buffers: 0, constants: 2, frozen: [], tied: false,
    merged: ['blocks.0.norm.weight → blocks.1.norm.weight', 'blocks.0.lin.weight → blocks.1.lin.weight'],
  });
  assert.match(m.notes[0] ?? '', /^blocks\.0\.norm\.weight was merged by the exporter with 1 equal tensor \(blocks\.1\.norm\.weight\); each is trained as its own copy/);
  const lin1 = m.model.params.find((p) => p.name === 'blocks.1.lin.weight');
  assert.deepEqual(lin1?.origin, { onnx: 'onnx::MatMul_10', initializer: 'onnx::MatMul_9', torchName: 'blocks.1.lin.weight', named: 'scope', module: 'blocks.1.lin', node: '/blocks.1/lin/MatMul' });
  assert.deepEqual(m.model.params.find((p) => p.name === 'pos')?.origin?.named, 'file');
});

test('tie = true keeps merged copies one tensor; a tensor read twice is one tensor either way', () => {
  const m = imported(MERGED, { tie: true });
  assert.deepEqual(m.model.params.map((p) => p.name), ['embed.weight', 'embed.bias', 'pos', 'blocks.0.norm.weight', 'blocks.0.norm.bias', 'blocks.0.lin.weight', 'tied']);
  assert.match(m.notes[0] ?? '', /tie = true trains them as one tensor/);
  const untied = imported(MERGED);
  // At the file's values both compute the same function.
  assert.deepEqual([...run(m, X3).data], [...run(untied, X3).data]);
});

test('freeze keeps tensors at their file values: by name, module path or glob; a pattern that matches nothing is refused', () => {
  const m = imported(MERGED, { freeze: ['pos', 'blocks.1', 'embed.*'] });
  assert.deepEqual(m.model.params.map((p) => p.name), ['blocks.0.norm.weight', 'blocks.0.norm.bias', 'blocks.0.lin.weight', 'tied']);
  assert.deepEqual(m.summary.frozen, ['embed.weight', 'embed.bias', 'pos', 'blocks.1.norm.weight', 'blocks.1.lin.weight']);
  assert.equal(m.summary.constants, 7);
  assert.deepEqual([...run(m, X3).data], [...run(imported(MERGED), X3).data]);
  const r = importOnnxModel(MERGED, { freeze: ['pos', 'decoder.*'] });
  assert.equal(r.ok ? '' : r.message, 'freeze: "decoder.*" matches no trainable tensor of the model');
});

test('PyTorch names: a BatchNorm folded into a Conv is named after the Conv\'s module; statistics are buffers', () => {
  const bytes = onnxModel(
    [
      node('Conv', '/features/features.0/Conv', ['x', 'onnx::Conv_3', 'onnx::Conv_4'], ['c'], { kernel_shape: { type: 'ints', value: [1, 1] } }),
      node('BatchNormalization', '/features/features.1/BatchNormalization', ['c', 'features.1.weight', 'features.1.bias', 'features.1.running_mean', 'features.1.running_var'], ['b']),
      node('Flatten', '/Flatten', ['b'], ['y']),
    ],
    [floats('onnx::Conv_3', [2, 4, 1, 1], ramp(8)), floats('onnx::Conv_4', [2], [0, 0]), floats('features.1.weight', [2], [1, 1]), floats('features.1.bias', [2], [0, 0]), floats('features.1.running_mean', [2], [0, 0]), floats('features.1.running_var', [2], [1, 1])],
    ['batch', 4, 6, 1],
    'y',
    ['batch', 12],
  );
  const m = imported(bytes);
  assert.deepEqual(m.model.params.map((p) => `${p.name}:${p.role}`), ['features.0.weight:weight', 'features.0.bias:bias', 'features.1.weight:norm_scale', 'features.1.bias:norm_bias']);
  assert.deepEqual(m.model.buffers.map((b) => `${b.name}:${b.role}:${b.origin?.module}`), ['features.1.running_mean:running_mean:features.1', 'features.1.running_var:running_var:features.1']);
});

test('a fixed-batch export is refused at its first view, with how to export it', () => {
  // torch.onnx.export without dynamic_axes bakes the batch (here 2) into each Reshape target.
  const bytes = onnxModel([node('Reshape', '/attn/Reshape', ['x', 'fixed'], ['y'])], [int64s('fixed', [8, 6])], [2, 4, 6], 'y', [8, 6]);
  const r = importOnnxModel(bytes);
  assert.equal(r.ok ? '' : r.message, "the model's shapes do not fit at Reshape node /attn/Reshape: Reshape: cannot reshape [B,4,6] to [8,6]; the file was exported for a fixed batch of 2: export it with a dynamic batch dim (torch.onnx.export(…, dynamic_axes={'x': {0: 'batch'}}))");
});
