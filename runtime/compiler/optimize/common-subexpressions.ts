// Common subexpressions: a node with the same op, attributes and (rebuilt) inputs as one already
// rebuilt is not built again; its outputs are the earlier node's. Small constants with the same
// dtype, shape and data become one value, so that `mul(x, 0.5)` written twice is one node. Every
// IR op is a pure function of its inputs and attributes (random masks are inputs), so this never
// changes a value. It merges, e.g., the gradient norm the train step reports with the one SAM's
// ascent computes from the same first-pass gradients (step/train-step.ts, optim/ascent.ts).

import type { GraphBuilder } from '../builder';
import type { Attrs, Node, Value } from '../ir';
import type { Tensor } from '../tensor';

/** Constants with at most this many entries are keyed by value. */
const SMALL_CONSTANT = 64;

export class CommonSubexpressions {
  private readonly nodes = new Map<string, readonly Value[]>();
  private readonly constants = new Map<string, Value>();

  constructor(private readonly graph: GraphBuilder) {}

  /** The new graph's value for constant t: one per distinct small constant. */
  constant(t: Tensor, name: string | undefined): Value {
    if (t.data.length > SMALL_CONSTANT || name !== undefined) return this.graph.constant(t, name);
    const key = `${t.dtype}|${t.shape.join(',')}|${Array.from(t.data, (x) => (Object.is(x, -0) ? '-0' : String(x))).join(',')}`;
    const known = this.constants.get(key);
    if (known !== undefined) return known;
    const c = this.graph.constant(t);
    this.constants.set(key, c);
    return c;
  }

  /** The outputs of an equal node rebuilt before, if any. */
  find(node: Node, inputs: readonly Value[]): readonly Value[] | undefined {
    return this.nodes.get(keyOf(node.op.name, node.attrs, inputs));
  }

  /** Records the rebuilt outputs of `node` (whatever rule built them). */
  record(node: Node, inputs: readonly Value[], outputs: readonly Value[]): void {
    const key = keyOf(node.op.name, node.attrs, inputs);
    if (!this.nodes.has(key)) this.nodes.set(key, outputs);
  }
}

function keyOf(op: string, attrs: Attrs, inputs: readonly Value[]): string {
  const a = Object.keys(attrs)
    .sort()
    .map((k) => `${k}=${JSON.stringify(attrs[k])}`)
    .join(';');
  return `${op}(${inputs.map((v) => v.id).join(',')})[${a}]`;
}
