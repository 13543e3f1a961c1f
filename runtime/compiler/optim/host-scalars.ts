// Scalars that depend only on the step count, computed by the host in double and fed as graph
// inputs every step, as the learning rate is. In the float32 graph such a scalar would be
// rounded at every operation: 1 − 0.999 is 0.0009999871 in float32 (1.3e-5 too small), and
// 1/(1 − βᵗ) amplifies an ulp of difference in `pow` between devices. torch computes them in
// Python doubles, so the host does the same.

import type { GraphBuilder } from '../builder';
import type { DType, Value } from '../ir';

/** One host-computed scalar input of a train step. */
export interface HostScalar {
  /** The graph input: `<counter>.<key>`. */
  readonly input: string;
  /** The 1-based step-count input whose fed value `at` takes ('step', or LSQ's own counter). */
  readonly counter: string;
  /** The value for a step count, in double. */
  readonly at: (step: number) => number;
}

/** What UpdateArgs.hostScalar does: the input for `key`, created on first use. */
export type HostScalarInput = (key: string, at: (step: number) => number) => Value;

/**
 * An UpdateArgs.hostScalar for an update counted by the input `counter`. Each new key becomes a
 * scalar input `<counter>.<key>` of `dtype`, recorded in `into`; a key used again returns the
 * same input, so `at` must be determined by the key.
 */
export function hostScalarInputs(g: GraphBuilder, counter: string, dtype: DType, into: HostScalar[]): HostScalarInput {
  return (key, at) => {
    const input = `${counter}.${key}`;
    const existing = g.inputs.find((v) => v.source.kind === 'input' && v.source.name === input);
    if (existing) return existing;
    into.push({ input, counter, at });
    return g.input(input, [], dtype);
  };
}

/** Each host scalar's value, given the value fed to a counter input (`counter(name)`). */
export function hostScalarValues(scalars: readonly HostScalar[], counter: (name: string) => number): { readonly input: string; readonly value: number }[] {
  return scalars.map((s) => ({ input: s.input, value: s.at(counter(s.counter)) }));
}
