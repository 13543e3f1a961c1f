// The layers that references (`layers = [dense_1]`, `weight_norm(layer: fc1)`) can name.

import type { Span } from '../language';
import type { LayerSymbol } from './types';

export interface LayerScope {
  /**
   * False when the layer names cannot be known statically (imported ONNX model, missing or
   * unresolved model block); references are then accepted unchecked, since the real problem is
   * reported elsewhere or only the file knows.
   */
  readonly known: boolean;
  find(name: string): LayerSymbol | undefined;
  names(): readonly string[];
  /** Records a reference; the symbol's `refs` list grows as the checker walks the other blocks. */
  addRef(layer: LayerSymbol, at: Span): void;
}

export function layerScope(known: boolean, symbols: readonly LayerSymbol[], refs: ReadonlyMap<LayerSymbol, Span[]>): LayerScope {
  const byName = new Map<string, LayerSymbol>();
  for (const s of symbols) if (!byName.has(s.name)) byName.set(s.name, s);
  return {
    known,
    find: (name) => byName.get(name),
    names: () => symbols.map((s) => s.name),
    addRef: (layer, at) => refs.get(layer)?.push(at),
  };
}

export const UNKNOWN_LAYERS: LayerScope = { known: false, find: () => undefined, names: () => [], addRef: () => undefined };
