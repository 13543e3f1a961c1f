// Graph rewrites applied to a finished graph before it is written as ONNX (onnx/emit.ts): each rule
// (one per file) replaces a pattern by a cheaper form with the same value, so the step builders
// and the ops' backward rules can stay in their plain, readable forms. The pass rebuilds the part
// of the graph the outputs depend on, node by node in creation order, into a new GraphBuilder with
// the same inputs (same names, same order); a rule sees the rebuilt inputs of the node at hand.
// Before any rule, a node equal to one already rebuilt is merged with it (common-subexpressions.ts).
// `uses` counts readers in the original graph: a merge can add readers to a value that a rule has
// absorbed, which costs a recomputation but never changes a value.
// Knows nothing about onnxruntime: it only rewrites graphs.

import { GraphBuilder } from '../builder';
import { nodesLeadingTo } from '../grad';
import type { Value } from '../ir';
import { CommonSubexpressions } from './common-subexpressions';
import { gemmAccumulate } from './gemm-accumulate';
import { gemmUpdate } from './gemm-update';
import { identityArith } from './identity-arith';
import { reshapeChain } from './reshape-chain';
import type { Rule } from './rule';

export type { Rule, RuleContext } from './rule';

/** Every rule, in the order they are tried on each node. */
export const RULES: readonly Rule[] = [identityArith, reshapeChain, gemmAccumulate, gemmUpdate];

export interface NamedValue {
  readonly name: string;
  readonly value: Value;
}

export interface Optimized<T extends NamedValue> {
  readonly graph: GraphBuilder;
  readonly outputs: readonly T[];
}

/** The graph rebuilt with `rules` applied, and the outputs as values of the new graph. */
export function optimize<T extends NamedValue>(graph: GraphBuilder, outputs: readonly T[], rules: readonly Rule[] = RULES): Optimized<T> {
  const g = new GraphBuilder();
  const cse = new CommonSubexpressions(g);
  const rebuilt = new Map<number, Value>();
  const origin = new Map<number, Value>();
  const set = (old: Value, now: Value): void => {
    rebuilt.set(old.id, now);
    if (!origin.has(now.id)) origin.set(now.id, old);
  };
  for (const v of graph.inputs) if (v.source.kind === 'input') set(v, g.input(v.source.name, v.shape, v.dtype));
  const nodes = nodesLeadingTo(...outputs.map((o) => o.value));
  const uses = new Map<number, number>();
  const use = (v: Value): void => void uses.set(v.id, (uses.get(v.id) ?? 0) + 1);
  for (const node of nodes) node.inputs.forEach(use);
  outputs.forEach((o) => use(o.value));
  const get = (old: Value): Value => {
    const known = rebuilt.get(old.id);
    if (known !== undefined) return known;
    if (old.source.kind !== 'constant') throw new Error(`optimize: value ${old.id} is used before its node`);
    const c = cse.constant(old.source.tensor, old.source.name);
    set(old, c);
    return c;
  };
  const ctxUses = (v: Value): number => {
    const old = origin.get(v.id);
    return old === undefined ? 0 : (uses.get(old.id) ?? 0);
  };
  for (const node of nodes) {
    const inputs = node.inputs.map(get);
    let outs: readonly Value[] | undefined = cse.find(node, inputs);
    for (const rule of outs === undefined ? rules : []) {
      outs = rule.apply({ node, inputs, uses: ctxUses });
      if (outs !== undefined) break;
    }
    outs ??= g.apply(node.op, inputs, node.attrs, node.outputs.length);
    cse.record(node, inputs, outs);
    node.outputs.forEach((o, i) => {
      const now = outs[i];
      if (now === undefined) throw new Error(`optimize: ${node.op.name} lost output ${i}`);
      set(o, now);
    });
  }
  if (g.errors.length > 0) throw new Error(`optimize: a rewrite broke shape inference: ${g.errors.map((e) => e.message).join('; ')}`);
  return { graph: g, outputs: outputs.map((o) => ({ ...o, value: get(o.value) })) };
}
