// The float64 reference interpreter: evaluates the values asked for, running each op's own
// `evaluate` over runtime shapes, and checks every result against its static shape (binding the
// symbolic batch dim on first sight) so that inferShape and evaluate cannot drift apart.

import { nodesLeadingTo } from './grad';
import type { Value } from './ir';
import { showShape } from './shape';
import type { Tensor } from './tensor';

export type Feeds = Readonly<Record<string, Tensor>>;

export function interpret(outputs: readonly Value[], feeds: Feeds): Tensor[] {
  const first = outputs[0];
  if (first === undefined) return [];
  const g = first.graph;
  if (g.errors.length > 0) throw new Error(`interpret: the graph has shape errors: ${g.errors.map((e) => e.message).join('; ')}`);
  const symbols = new Map<string, number>();
  const memo = new Map<number, Tensor>();
  const read = (v: Value): Tensor => {
    const known = memo.get(v.id);
    if (known !== undefined) return known;
    if (v.source.kind === 'constant') return v.source.tensor;
    if (v.source.kind === 'input') {
      const t = feeds[v.source.name];
      if (t === undefined) throw new Error(`interpret: no feed for input ${v.source.name}`);
      checkShape(`input ${v.source.name}`, v, t, symbols);
      memo.set(v.id, t);
      return t;
    }
    throw new Error(`interpret: value ${v.id} was read before its node ran`);
  };
  for (const node of nodesLeadingTo(...outputs)) {
    const results = node.op.evaluate(node.inputs.map(read), node.attrs);
    node.outputs.forEach((o, i) => {
      const t = results[i];
      if (t === undefined) return;
      checkShape(`${node.op.name} output ${i}`, o, t, symbols);
      memo.set(o.id, t);
    });
  }
  return outputs.map(read);
}

function checkShape(what: string, v: Value, t: Tensor, symbols: Map<string, number>): void {
  const shape = v.shape;
  const fail = (): never => {
    throw new Error(`interpret: ${what} is ${t.dtype} [${t.shape.join(',')}], expected ${v.dtype} ${showShape(shape)}`);
  };
  if (t.shape.length !== shape.length || t.dtype !== v.dtype) fail();
  shape.forEach((d, i) => {
    const actual = t.shape[i];
    if (typeof d === 'number') {
      if (actual !== d) fail();
      return;
    }
    const bound = symbols.get(d);
    if (bound === undefined && actual !== undefined) symbols.set(d, actual);
    else if (bound !== actual) fail();
  });
}
