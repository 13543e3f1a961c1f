// Reverse-mode autodiff over the IR, micrograd style: visit the nodes that lead to the loss in
// reverse topological order, ask each op's own backward rule for its input gradients, and add up
// the contributions of a value used more than once. The walker knows no op.

import { add } from './ops/binary';
import { zerosLike } from './ops/expand';
import type { Node, Value } from './ir';
import { isFloat } from './ir';
import { sameShape, showShape } from './shape';
import { filled } from './tensor';

/**
 * Gradients of the scalar `loss` with respect to each of `wrt`, as new values in the same graph
 * (so they can be evaluated, emitted, or differentiated again). Values the loss does not depend on
 * get zeros. Throws if the graph has shape errors or a needed op has no backward rule.
 */
export function grad(loss: Value, wrt: readonly Value[]): Value[] {
  const g = loss.graph;
  if (g.errors.length > 0) throw new Error(`grad: the graph has shape errors: ${g.errors.map((e) => e.message).join('; ')}`);
  if (!loss.shape.every((d) => d === 1)) throw new Error(`grad: the loss must be a scalar, got ${showShape(loss.shape)}`);
  const nodes = nodesLeadingTo(loss);
  const wanted = dependsOn(nodes, wrt);
  const grads = new Map<number, Value>();
  grads.set(loss.id, g.constant(filled(loss.shape.map(() => 1), 1, loss.dtype)));
  for (let k = nodes.length - 1; k >= 0; k--) {
    const node = nodes[k] as Node;
    const gradOutputs = node.outputs.map((o) => grads.get(o.id));
    const needs = node.inputs.map((v) => wanted.has(v.id) && isFloat(v.dtype));
    if (gradOutputs.every((x) => x === undefined) || !needs.some(Boolean)) continue;
    const rule = node.op.backward;
    if (rule === 'non-differentiable') continue;
    if (rule === undefined) throw new Error(`grad: op ${node.op.name} has no backward rule, but a gradient must flow through it`);
    const results = rule({ g, node, gradOutputs, needs });
    if (results.length !== node.inputs.length) throw new Error(`grad: ${node.op.name} returned ${results.length} gradients for ${node.inputs.length} inputs`);
    results.forEach((r, i) => {
      const input = node.inputs[i] as Value;
      if (r === undefined || !needs[i]) return;
      if (!r.valid || !sameShape(r.shape, input.shape)) {
        throw new Error(`grad: ${node.op.name} gave a gradient ${showShape(r.shape)} for input ${i} of shape ${showShape(input.shape)}`);
      }
      const previous = grads.get(input.id);
      grads.set(input.id, previous === undefined ? r : add(previous, r));
    });
  }
  if (g.errors.length > 0) throw new Error(`grad: a backward rule built an invalid graph: ${g.errors.map((e) => e.message).join('; ')}`);
  return wrt.map((w) => grads.get(w.id) ?? zerosLike(w));
}

/** The nodes the value depends on, in topological (creation) order. */
export function nodesLeadingTo(...outputs: readonly Value[]): Node[] {
  const seen = new Set<number>();
  const found: Node[] = [];
  const stack = [...outputs];
  for (let v = stack.pop(); v !== undefined; v = stack.pop()) {
    if (v.source.kind !== 'node' || seen.has(v.source.node.id)) continue;
    const node = v.source.node;
    seen.add(node.id);
    found.push(node);
    stack.push(...node.inputs);
  }
  // Node ids grow with creation, and a node is created after all of its inputs.
  return found.sort((a, b) => a.id - b.id);
}

/** Ids of the values (in `nodes` or `wrt`) that depend on any of `wrt`. */
function dependsOn(nodes: readonly Node[], wrt: readonly Value[]): Set<number> {
  const ids = new Set(wrt.map((w) => w.id));
  for (const node of nodes) {
    if (node.inputs.some((v) => ids.has(v.id))) for (const o of node.outputs) ids.add(o.id);
  }
  return ids;
}
