// Each rewrite rule on its own: the graph as built and the optimized one evaluated by the float64
// reference interpreter on the same feeds (bit for bit where the rule promises it, else 1e-12),
// the nodes it removes, and the cases where it must leave the graph alone.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GraphBuilder } from '../../builder';
import { nodesLeadingTo } from '../../grad';
import { interpret } from '../../interpret';
import type { Value } from '../../ir';
import { add, div, gemm, mul, reduceSum, reshape, sqrt, sub, relu } from '../../ops';
import { type Tensor, tensor } from '../../tensor';
import { RULES, optimize } from '..';
import { decodeOnnxModel, toOnnx } from '../../onnx';
import { gemmAccumulate } from '../gemm-accumulate';
import { gemmUpdate, smaller } from '../gemm-update';
import { producer } from '../rule';
import { identityArith } from '../identity-arith';
import { reshapeChain } from '../reshape-chain';

interface Case {
  readonly g: GraphBuilder;
  readonly outputs: { name: string; value: Value }[];
  readonly feeds: Record<string, Tensor>;
}

/** A graph over inputs of the given (static) shapes, with seeded values in [-1, 1]. */
function graph(shapes: Readonly<Record<string, readonly number[]>>, build: (x: Record<string, Value>, g: GraphBuilder) => Value[]): Case {
  const g = new GraphBuilder();
  const x: Record<string, Value> = {};
  const feeds: Record<string, Tensor> = {};
  let seed = 1;
  for (const [name, shape] of Object.entries(shapes)) {
    x[name] = g.input(name, shape);
    const n = shape.reduce((p, d) => p * d, 1);
    feeds[name] = tensor(shape, Array.from({ length: n }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1));
  }
  return { g, outputs: build(x, g).map((value, i) => ({ name: `out${i}`, value })), feeds };
}

function count(outputs: readonly { value: Value }[], op?: string): number {
  return nodesLeadingTo(...outputs.map((o) => o.value)).filter((n) => op === undefined || n.op.name === op).length;
}

/** Optimizes with `rules`, checks the values (exactly, or to `tol` relative) and returns the node counts. */
function check(c: Case, rules = RULES, tol = 0): { before: number; after: number; outputs: readonly { value: Value }[] } {
  const opt = optimize(c.g, c.outputs, rules);
  const a = interpret(c.outputs.map((o) => o.value), c.feeds);
  const b = interpret(opt.outputs.map((o) => o.value), c.feeds);
  a.forEach((t, i) => {
    const u = b[i];
    assert.ok(u);
    assert.deepEqual(u.shape, t.shape);
    if (tol === 0) assert.deepEqual([...u.data], [...t.data]);
    else t.data.forEach((x, k) => assert.ok(Math.abs(x - (u.data[k] ?? NaN)) <= tol * Math.max(1, Math.abs(x)), `[${k}] ${x} vs ${u.data[k]}`));
  });
  return { before: count(c.outputs), after: count(opt.outputs), outputs: opt.outputs };
}

test('identity-arith: x·1, 1·x, x/1, x + 0, 0 + x, x − 0 are x', () => {
  const c = graph({ x: [2, 3] }, ({ x }) => {
    const v = x as Value;
    return [relu(sub(add(0, add(div(mul(1, mul(v, 1)), 1), 0)), 0))];
  });
  const r = check(c, [identityArith]);
  assert.equal(r.after, 1);
  assert.equal(r.before, 7);
});

test('identity-arith keeps a product by ones that broadcasts x to a larger shape', () => {
  const c = graph({ x: [3] }, ({ x }, g) => [mul(x as Value, g.constant(tensor([2, 3], [1, 1, 1, 1, 1, 1])))]);
  const r = check(c, [identityArith]);
  assert.equal(r.after, 1);
  assert.deepEqual(r.outputs[0]?.value.shape, [2, 3]);
});

test('reshape-chain: Reshape(Reshape(x)) is one Reshape; a Reshape to x\'s own shape is x', () => {
  const c = graph({ x: [2, 6] }, ({ x }) => [reshape(reshape(x as Value, [3, 4]), [0, 2, 2]), relu(reshape(reshape(x as Value, [12]), [2, 6]))]);
  const r = check(c, [reshapeChain]);
  assert.equal(r.before, 5);
  assert.equal(r.after, 2, 'one Reshape and the Relu');
});

test('reshape-chain with a symbolic batch dim', () => {
  const g = new GraphBuilder();
  const x = g.input('x', ['B', 8]);
  const y = reshape(reshape(x, [0, 2, 4]), [-1, 4, 2]);
  const opt = optimize(g, [{ name: 'y', value: y }], [reshapeChain]);
  assert.equal(count(opt.outputs), 1);
  assert.deepEqual(opt.outputs[0]?.value.shape, y.shape);
  const feeds = { x: tensor([3, 8], Array.from({ length: 24 }, (_, i) => i)) };
  assert.deepEqual(interpret([opt.outputs[0]?.value as Value], feeds), interpret([y], feeds));
});

test('gemm-accumulate: μ·Y + Gemm(A, B) is one Gemm with C = Y, β = μ', () => {
  const c = graph({ a: [5, 3], b: [5, 4], y: [3, 4] }, ({ a, b, y }) => [add(mul(y as Value, 0.9), gemm(a as Value, b as Value, { transA: true, alpha: 0.5 }))]);
  const r = check(c, [gemmAccumulate], 1e-12);
  assert.equal(r.after, 1);
  const node = r.outputs[0]?.value.source;
  assert.ok(node?.kind === 'node');
  assert.deepEqual({ alpha: node.node.attrs['alpha'], beta: node.node.attrs['beta'], transA: node.node.attrs['transA'] }, { alpha: 0.5, beta: 0.9, transA: 1 });
  // The same with the operands the other way round and no scale.
  const d = graph({ a: [3, 5], b: [4, 5], y: [3, 4] }, ({ a, b, y }) => [add(gemm(a as Value, b as Value, { transB: true }), y as Value)]);
  assert.equal(check(d, [gemmAccumulate], 1e-12).after, 1);
});

test('gemm-accumulate leaves a product that something else reads, and a C that would broadcast', () => {
  const shared = graph({ a: [3, 3], b: [3, 3], y: [3, 3] }, ({ a, b, y }) => {
    const p = gemm(a as Value, b as Value);
    return [add(mul(y as Value, 0.9), p), sqrt(reduceSum(mul(p, p), [], false))];
  });
  const r = check(shared, [gemmAccumulate]);
  assert.equal(r.after, r.before);
  const broadcast = graph({ a: [3, 3], b: [3, 3], y: [3] }, ({ a, b, y }) => [add(gemm(a as Value, b as Value), y as Value)]);
  const s = check(broadcast, [gemmAccumulate]);
  assert.equal(s.after, s.before);
});

test('common subexpressions: equal nodes and equal small constants are built once', () => {
  const c = graph({ x: [4], y: [4] }, ({ x, y }) => [add(sqrt(reduceSum(mul(x as Value, 0.5), [], false)), mul(y as Value, 2)), sqrt(reduceSum(mul(x as Value, 0.5), [], false))]);
  const r = check(c, []);
  assert.equal(r.before, 8);
  assert.equal(r.after, 5);
  assert.equal(r.outputs[1]?.value, (r.outputs[0]?.value.source.kind === 'node' ? r.outputs[0].value.source.node.inputs[0] : undefined));
});

test('optimize keeps every input, in order, even one no output reads', () => {
  const g = new GraphBuilder();
  const a = g.input('a', [2]);
  g.input('unused', [3]);
  const opt = optimize(g, [{ name: 'o', value: mul(a, 1) }]);
  assert.deepEqual(opt.graph.inputs.map((v) => (v.source.kind === 'input' ? v.source.name : '')), ['a', 'unused']);
  assert.equal(opt.outputs[0]?.value, opt.graph.inputs[0]);
});

test('toOnnx optimizes unless told not to', () => {
  const g = new GraphBuilder();
  const [a, b] = ['a', 'b'].map((n) => g.input(n, [3]));
  const outputs = [{ name: 'y', value: add(mul(a as Value, 1), b as Value) }];
  const ops = (bytes: Uint8Array): string[] => {
    const r = decodeOnnxModel(bytes);
    assert.ok(r.ok);
    return r.model.graph.nodes.map((n) => n.opType);
  };
  assert.deepEqual(ops(toOnnx(g, outputs, { name: 't' })), ['Add']);
  assert.deepEqual(ops(toOnnx(g, outputs, { name: 't', optimize: false })), ['Mul', 'Add']);
});

/** The node that produced an optimized output. */
function producerOf(outputs: readonly { value: Value }[], i = 0) {
  const s = outputs[i]?.value.source;
  assert.ok(s?.kind === 'node');
  return s.node;
}

test('gemm-update: W − Gemm(A, B)·s and W − s·Gemm(A, B) are one Gemm(s·A, B, C = W, α = −1, β = 1)', () => {
  const c = graph({ a: [5, 3], b: [5, 4], w: [3, 4], s: [] }, ({ a, b, w, s }) => [sub(w as Value, mul(gemm(a as Value, b as Value, { transA: true }), s as Value))]);
  const r = check(c, [gemmUpdate], 1e-12);
  assert.equal(r.before, 3);
  assert.equal(r.after, 2, 'the Gemm and the Mul that scales its smaller operand');
  const node = producerOf(r.outputs);
  assert.deepEqual({ op: node.op.name, alpha: node.attrs['alpha'], beta: node.attrs['beta'], transA: node.attrs['transA'], inputs: node.inputs.length }, { op: 'Gemm', alpha: -1, beta: 1, transA: 1, inputs: 3 });
  assert.equal(node.inputs[2]?.source.kind === 'input' ? node.inputs[2].source.name : '', 'w', 'C is W');
  assert.deepEqual(node.inputs[0]?.shape, [5, 3], 'A (15 entries) is scaled, not B (20)');
  assert.equal(producer(node.inputs[0] as Value)?.op.name, 'Mul');
  // s first, and the larger operand A: B is scaled.
  const d = graph({ a: [6, 4], b: [6, 3], w: [4, 3], s: [] }, ({ a, b, w, s }) => [sub(w as Value, mul(s as Value, gemm(a as Value, b as Value, { transA: true })))]);
  const e = check(d, [gemmUpdate], 1e-12);
  assert.equal(e.after, 2);
  const n = producerOf(e.outputs);
  assert.equal(producer(n.inputs[1] as Value)?.op.name, 'Mul');
  assert.equal(n.inputs[0]?.source.kind, 'input');
});

test('gemm-update with a symbolic batch dim scales the operand with fewer static entries (a weight gradient Gemm(dY, X, transA))', () => {
  const g = new GraphBuilder();
  const dy = g.input('dy', ['B', 3]);
  const x = g.input('x', ['B', 7]);
  const w = g.input('w', [3, 7]);
  const lr = g.input('lr', []);
  const out = sub(w, mul(gemm(dy, x, { transA: true }), lr));
  const opt = optimize(g, [{ name: 'w.next', value: out }], [gemmUpdate]);
  const node = producerOf(opt.outputs);
  assert.equal(node.op.name, 'Gemm');
  assert.deepEqual(node.inputs[0]?.shape, ['B', 3]);
  assert.equal(producer(node.inputs[0] as Value)?.op.name, 'Mul', 'dY [B, 3] is scaled, not X [B, 7]');
  const rng = (n: number, k: number) => Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + k));
  const feeds = { dy: tensor([4, 3], rng(12, 1)), x: tensor([4, 7], rng(28, 2)), w: tensor([3, 7], rng(21, 3)), lr: tensor([], [0.05]) };
  const [before] = interpret([out], feeds);
  const [after] = interpret([opt.outputs[0]?.value as Value], feeds);
  before?.data.forEach((v, i) => assert.ok(Math.abs(v - (after?.data[i] ?? NaN)) <= 1e-12 * Math.max(1, Math.abs(v))));
  assert.equal(smaller(['B', 3], ['B', 7]), true);
  assert.equal(smaller(['B', 7], ['B', 3]), false);
  assert.equal(smaller([3, 7], ['B', 2]), true, 'fewer symbolic dims');
  assert.equal(smaller(['B*16', 2], ['B', 2]), true, 'different symbols: as many, then the static entries');
});

test('gemm-update leaves a product or scaled product read elsewhere, a non-scalar s, a Gemm with C or α ≠ 1, and a W that would broadcast', () => {
  const unchanged = (shapes: Readonly<Record<string, readonly number[]>>, build: (x: Record<string, Value>) => Value[]) => {
    const r = check(graph(shapes, build), [gemmUpdate]);
    assert.equal(r.after, r.before);
  };
  const shapes = { a: [5, 3], b: [5, 4], w: [3, 4], s: [] };
  // The gradient norm reads the product too.
  unchanged(shapes, ({ a, b, w, s }) => {
    const p = gemm(a as Value, b as Value, { transA: true });
    return [sub(w as Value, mul(p, s as Value)), sqrt(reduceSum(mul(p, p), [], false))];
  });
  // Momentum: the scaled value is read twice (here: an output of its own).
  unchanged(shapes, ({ a, b, w, s }) => {
    const m = mul(gemm(a as Value, b as Value, { transA: true }), s as Value);
    return [sub(w as Value, m), m];
  });
  unchanged({ ...shapes, s: [3, 4] }, ({ a, b, w, s }) => [sub(w as Value, mul(gemm(a as Value, b as Value, { transA: true }), s as Value))]);
  unchanged({ ...shapes, s: [4] }, ({ a, b, w, s }) => [sub(w as Value, mul(gemm(a as Value, b as Value, { transA: true }), s as Value))]);
  unchanged({ ...shapes, c: [3, 4] }, ({ a, b, w, s, c }) => [sub(w as Value, mul(gemm(a as Value, b as Value, { transA: true, beta: 0.5 }, c as Value), s as Value))]);
  unchanged(shapes, ({ a, b, w, s }) => [sub(w as Value, mul(gemm(a as Value, b as Value, { transA: true, alpha: 2 }), s as Value))]);
  unchanged({ ...shapes, w: [4] }, ({ a, b, w, s }) => [sub(w as Value, mul(gemm(a as Value, b as Value, { transA: true }), s as Value))]);
  // The product is the minuend, not the subtrahend: s·G − W is not an update.
  unchanged(shapes, ({ a, b, w, s }) => [sub(mul(gemm(a as Value, b as Value, { transA: true }), s as Value), w as Value)]);
});
