// The technique catalog: one entry per technique (parameters, rules, docs, paper, shape facets)
// and the block specs of the language. Knows nothing about syntax trees, LSP, vscode or onnxruntime.

import { BLOCKS } from './blocks';
import { ENTRIES } from './entries';
import type { BlockSpec, TechniqueEntry, TechniqueKind } from './schema';

export * from './schema';
export * from './values';
export { BLOCKS } from './blocks';
export { conforms, describeType } from './conforms';

export interface Catalog {
  readonly entries: readonly TechniqueEntry[];
  readonly blocks: readonly BlockSpec[];
  /** The entry called `name` among the given kinds (names may repeat across kinds: `mse` is a loss and a calibration). */
  get(name: string, kinds?: readonly TechniqueKind[]): TechniqueEntry | undefined;
  ofKind(kinds: readonly TechniqueKind[]): readonly TechniqueEntry[];
  block(name: string): BlockSpec | undefined;
}

export function makeCatalog(entries: readonly TechniqueEntry[], blocks: readonly BlockSpec[]): Catalog {
  const byKind = new Map<TechniqueKind, TechniqueEntry[]>();
  const byName = new Map<string, TechniqueEntry[]>();
  for (const e of entries) {
    byKind.set(e.kind, [...(byKind.get(e.kind) ?? []), e]);
    byName.set(e.name, [...(byName.get(e.name) ?? []), e]);
  }
  return {
    entries,
    blocks,
    // NOTE: the checker looks names up once per technique value; an index keeps 2,000-line recipes fast.
    get: (name, kinds) => byName.get(name)?.find((e) => kinds === undefined || kinds.includes(e.kind)),
    ofKind: (kinds) => kinds.flatMap((k) => byKind.get(k) ?? []),
    block: (name) => blocks.find((b) => b.name === name),
  };
}

/** The catalog Minima ships. */
export const CATALOG: Catalog = makeCatalog(ENTRIES, BLOCKS);
