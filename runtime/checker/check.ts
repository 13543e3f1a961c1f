import type { Catalog } from '../catalog';
import type { FileNode } from '../language';
import type { CheckResult } from './types';

/** Checks a parsed recipe against the catalog. Never throws. */
export function check(tree: FileNode, catalog: Catalog): CheckResult {
  void tree;
  void catalog;
  return { diagnostics: [], semantics: { resolutions: new Map(), expected: new Map(), layers: [] } };
}
