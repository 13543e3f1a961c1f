// What a rewrite rule sees: one node of the graph being rebuilt, its inputs already rebuilt, and how
// many consumers each original value has. A rule returns the node's outputs built its own way, or
// undefined to keep the node as it is.

import type { Node, Value } from '../ir';

export interface RuleContext {
  /** The node in the original graph. */
  readonly node: Node;
  /** Its inputs as rebuilt (values of the new graph, possibly produced by other rules). */
  readonly inputs: readonly Value[];
  /**
   * How many nodes (and graph outputs) read the original value behind a rebuilt one; a rule may
   * absorb a producer into its own node only when that was its only reader.
   */
  readonly uses: (rebuilt: Value) => number;
}

export interface Rule {
  readonly name: string;
  readonly apply: (ctx: RuleContext) => readonly Value[] | undefined;
}

/** The node that produced v, when it is a node's output. */
export function producer(v: Value): Node | undefined {
  return v.source.kind === 'node' ? v.source.node : undefined;
}
