// foldNode: what an exported graph computes from shapes and constants is evaluated at import,
// with the batch as a symbol ('B', scaled as 'B*4'); arithmetic the symbol cannot take is refused
// with the node's name. One table of cases: node, known inputs (or the input's shape), result.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Dim, Shape } from '../../ir';
import type { OnnxAttribute, OnnxNode } from '../../onnx/decode';
import { type Known, foldNode } from '../import-fold';

const ints = (...values: Dim[]): Known => ({ dims: [values.length], values, type: 'int' });
const scalar = (v: Dim, type: Known['type'] = 'int'): Known => ({ dims: [], values: [v], type });

function onnxNode(opType: string, inputs: number, attrs: Record<string, OnnxAttribute> = {}): OnnxNode {
  return { name: `/m/${opType}`, opType, domain: '', inputs: Array.from({ length: inputs }, (_, i) => `in${i}`), outputs: ['out'], attrs: new Map(Object.entries(attrs)) };
}

interface Case {
  readonly name: string;
  readonly node: OnnxNode;
  readonly known?: readonly (Known | undefined)[];
  readonly shape?: Shape;
  /** The folded output, undefined when the node is left to be built, or a message it is refused with. */
  readonly expected: Known | undefined | RegExp;
}

const CASES: readonly Case[] = [
  { name: 'Shape of a value with the batch in the middle', node: onnxNode('Shape', 1), shape: [16, 'B', 64], expected: ints(16, 'B', 64) },
  { name: 'Shape with start', node: onnxNode('Shape', 1, { start: { kind: 'int', value: 1 } }), shape: [16, 'B', 64], expected: ints('B', 64) },
  { name: 'Gather of one dim (scalar index)', node: onnxNode('Gather', 2), known: [ints(16, 'B', 64), scalar(1)], expected: scalar('B') },
  { name: 'Gather with a negative 1-D index', node: onnxNode('Gather', 2), known: [ints(16, 'B', 192), ints(-1)], expected: ints(192) },
  { name: 'batch times heads', node: onnxNode('Mul', 2), known: [scalar('B'), scalar(4)], expected: scalar('B*4') },
  { name: 'scaled batch divided back', node: onnxNode('Div', 2), known: [scalar('B*16'), scalar(4)], expected: scalar('B*4') },
  { name: 'integer division truncates', node: onnxNode('Div', 2), known: [ints(194), ints(3)], expected: ints(64) },
  { name: 'float division does not', node: onnxNode('Div', 2), known: [scalar(7, 'float'), scalar(2, 'float')], expected: scalar(3.5, 'float') },
  { name: 'adding zero to the batch', node: onnxNode('Add', 2), known: [scalar('B'), scalar(0)], expected: scalar('B') },
  { name: 'Concat of a reshape target', node: onnxNode('Concat', 3, { axis: { kind: 'int', value: 0 } }), known: [ints(16), ints('B*4'), ints(16)], expected: ints(16, 'B*4', 16) },
  { name: 'Unsqueeze of a dim', node: onnxNode('Unsqueeze', 2), known: [scalar('B'), ints(0)], expected: ints('B') },
  { name: 'Squeeze back', node: onnxNode('Squeeze', 2), known: [ints('B'), ints(0)], expected: scalar('B') },
  { name: 'Slice of a shape', node: onnxNode('Slice', 3), known: [ints(16, 'B', 64), ints(1), ints(9)], expected: ints('B', 64) },
  { name: 'Cast to float keeps the symbol', node: onnxNode('Cast', 1, { to: { kind: 'int', value: 1 } }), known: [scalar('B')], expected: scalar('B', 'float') },
  { name: 'Cast to int64 truncates', node: onnxNode('Cast', 1, { to: { kind: 'int', value: 7 } }), known: [scalar(2.5, 'float')], expected: scalar(2) },
  { name: 'Sqrt of a head dim', node: onnxNode('Sqrt', 1), known: [scalar(16, 'float')], expected: scalar(4, 'float') },
  { name: 'Equal of the batch with itself', node: onnxNode('Equal', 2), known: [scalar('B'), scalar('B')], expected: scalar(1, 'bool') },
  { name: 'the batch is never -1', node: onnxNode('Equal', 2), known: [ints(16, 'B'), ints(-1)], expected: { dims: [2], values: [0, 0], type: 'bool' } },
  { name: 'Where on known values', node: onnxNode('Where', 3), known: [ints(1, 0), ints(5, 6), ints(7, 8)], expected: ints(5, 8) },
  { name: 'Reshape of a known value', node: onnxNode('Reshape', 2), known: [ints(1, 2, 3, 4), ints(2, -1)], expected: { dims: [2, 2], values: [1, 2, 3, 4], type: 'int' } },
  { name: 'ConstantOfShape (float zeros)', node: onnxNode('ConstantOfShape', 1), known: [ints(2, 3)], expected: { dims: [2, 3], values: [0, 0, 0, 0, 0, 0], type: 'float' } },
  { name: 'Range', node: onnxNode('Range', 3), known: [scalar(0), scalar(5), scalar(2)], expected: ints(0, 2, 4) },
  { name: 'an input not known: built, not folded', node: onnxNode('Mul', 2), known: [scalar(4), undefined], expected: undefined },
  { name: 'Shape of a value not built yet', node: onnxNode('Shape', 1), expected: undefined },
  { name: 'an op that is never folded', node: onnxNode('Relu', 1), known: [scalar(1, 'float')], expected: undefined },
  { name: 'the batch times itself', node: onnxNode('Mul', 2), known: [scalar('B'), scalar('B')], expected: /Mul node \/m\/Mul computes B Mul B from the batch size/ },
  { name: 'the batch plus one', node: onnxNode('Add', 2), known: [scalar('B'), scalar(1)], expected: /Add node \/m\/Add computes B Add 1 from the batch size/ },
  { name: 'the batch compared with a number', node: onnxNode('Equal', 2), known: [scalar('B'), scalar(3)], expected: /computes B Equal 3/ },
  { name: 'a batch that does not divide', node: onnxNode('Div', 2), known: [scalar('B*4'), scalar(3)], expected: /computes B\*4 Div 3/ },
  { name: 'an index past the end', node: onnxNode('Gather', 2), known: [ints(16, 'B'), scalar(2)], expected: /Gather node \/m\/Gather has index 2 out of range/ },
  { name: 'the batch as a Slice bound', node: onnxNode('Slice', 3), known: [ints(1, 2, 3), ints(0), ints('B')], expected: /needs ends as numbers, but it depends on the batch size \(B\)/ },
];

for (const c of CASES) {
  test(`foldNode: ${c.name}`, () => {
    const run = (): Known[] | undefined => foldNode(c.node, c.node.name, { known: (i) => c.known?.[i], shape: (i) => (i === 0 ? c.shape : undefined) });
    if (c.expected instanceof RegExp) {
      assert.throws(run, c.expected);
      return;
    }
    const out = run();
    assert.deepEqual(out === undefined ? undefined : { ...out[0], values: [...(out[0]?.values ?? [])], dims: [...(out[0]?.dims ?? [])] }, c.expected);
  });
}
