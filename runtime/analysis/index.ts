// One document's analysis: parse + check, plus the line index to convert offsets.
// This is what the language server and `minima check` consume.

import { CATALOG, type Catalog } from '../catalog';
import { check, type CheckedRecipe, type CheckOptions, type Semantics } from '../checker';
import { LineIndex, parse, type Diagnostic, type FileNode } from '../language';

export interface Analysis {
  readonly text: string;
  readonly lines: LineIndex;
  readonly tree: FileNode;
  /** Parse and check diagnostics, sorted by position. */
  readonly diagnostics: readonly Diagnostic[];
  readonly semantics: Semantics;
  readonly recipe?: CheckedRecipe;
  readonly catalog: Catalog;
}

export { createModelResolver, type ModelFiles } from './model-resolver';

/** `options.resolveModel` lets the checker read an imported model's file (the host does the IO). */
export function analyze(text: string, catalog: Catalog = CATALOG, options: CheckOptions = {}): Analysis {
  const { tree, errors } = parse(text);
  const checked = check(tree, catalog, text, options);
  const diagnostics = [...errors, ...checked.diagnostics].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  return {
    text,
    lines: new LineIndex(text),
    tree,
    diagnostics,
    semantics: checked.semantics,
    // A plan exists only for a document without any error, parse errors included.
    ...(checked.recipe && !diagnostics.some((d) => d.severity === 'error') ? { recipe: checked.recipe } : {}),
    catalog,
  };
}
