// How Gemm is written as ONNX: a transposed left operand of a wide layer (M ≥ 256, N ≥ 512, static)
// is transposed explicitly behind a 3-D Reshape and the Gemm runs without transA (matmul.ts,
// leftOperand); smaller or symbolic shapes keep transA. Values are checked on the backends by the
// op case 'Gemm with transA on a wide layer' (runtime/testing/op-cases.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../builder';
import type { Dim } from '../../ir';
import { toOnnx } from '../../onnx';
import { decodeOnnxModel, type OnnxNode } from '../../onnx/decode';
import { EXPLICIT_TRANSPOSE, gemm } from '../matmul';

function emitted(m: Dim, n: Dim, transB = false): readonly OnnxNode[] {
  const g = new GraphBuilder();
  const dy = g.input('dy', ['B', m], 'float32');
  const x = g.input('x', transB ? [n, 'B'] : ['B', n], 'float32');
  const r = decodeOnnxModel(toOnnx(g, [{ name: 'dw', value: gemm(dy, x, { transA: true, transB }) }], { name: 'g', dtype: 'float32', optimize: false }));
  if (!r.ok) throw new Error(r.message);
  return r.model.graph.nodes;
}

const gemmOf = (nodes: readonly OnnxNode[]): OnnxNode => {
  const found = nodes.find((n) => n.opType === 'Gemm');
  assert.ok(found);
  return found;
};

test('a wide layer\'s weight gradient is emitted with an explicit transpose and no transA', () => {
  for (const transB of [false, true]) {
    const nodes = emitted(1024, 784, transB);
    assert.deepEqual(nodes.map((n) => n.opType), ['Reshape', 'Transpose', 'Reshape', 'Gemm']);
    assert.deepEqual(gemmOf(nodes).attrs.get('transA'), { kind: 'int', value: 0 });
    assert.deepEqual(gemmOf(nodes).attrs.get('transB'), { kind: 'int', value: transB ? 1 : 0 });
    assert.deepEqual(nodes[1]?.attrs.get('perm'), { kind: 'ints', value: [1, 0, 2] });
  }
});

test('below the thresholds, or with a symbolic M or N, Gemm keeps transA', () => {
  for (const [m, n] of [[EXPLICIT_TRANSPOSE.m - 1, 4096], [4096, EXPLICIT_TRANSPOSE.n - 1], ['M', 1024], [1024, 'N']] as const) {
    const nodes = emitted(m, n);
    assert.deepEqual(nodes.map((x) => x.opType), ['Gemm'], `${m}×${n}`);
    assert.deepEqual(gemmOf(nodes).attrs.get('transA'), { kind: 'int', value: 1 });
  }
  const edge = emitted(EXPLICIT_TRANSPOSE.m, EXPLICIT_TRANSPOSE.n);
  assert.deepEqual(gemmOf(edge).attrs.get('transA'), { kind: 'int', value: 0 });
});
