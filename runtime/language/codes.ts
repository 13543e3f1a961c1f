// Every diagnostic code Minima emits, with a one-line summary. Codes are stable: never renumber,
// only add. `docs/diagnostics.md` is generated from this table by a test that keeps it in sync.

export interface CodeInfo {
  readonly code: string;
  readonly slug: string;
  readonly summary: string;
}

const TABLE = {
  // Syntax (lexer and parser).
  unexpectedCharacter: ['M001', 'unexpected-character', 'A character that cannot start any token.'],
  unterminatedString: ['M002', 'unterminated-string', 'A string literal without its closing quote.'],
  badNumber: ['M003', 'bad-number', 'A number with an unknown unit suffix.'],
  syntax: ['M004', 'syntax', 'A token that does not fit the grammar where it stands.'],
  unclosed: ['M005', 'unclosed', "A '{', '(' or '[' without its closing partner."],
  missingSeparator: ['M006', 'missing-separator', 'Two items on one line without a line break or `;` between them.'],
  // Names.
  unknownBlock: ['M010', 'unknown-block', 'A block keyword that is not part of the language.'],
  unknownAttribute: ['M011', 'unknown-attribute', 'An attribute that the block does not have.'],
  unknownName: ['M012', 'unknown-name', 'A technique, enum member or metric that the catalog does not know.'],
  unknownParameter: ['M013', 'unknown-parameter', 'A named argument that the technique does not take.'],
  duplicateBlock: ['M014', 'duplicate-block', 'A block written twice.'],
  duplicateAttribute: ['M015', 'duplicate-attribute', 'An attribute or argument written twice.'],
  missingBlock: ['M016', 'missing-block', 'A required block (data, model, train) is absent.'],
  missingValue: ['M017', 'missing-value', 'A required attribute or parameter is absent.'],
  typeMismatch: ['M018', 'type-mismatch', 'A value of the wrong type (a duration where a number is expected, …).'],
  outOfRange: ['M019', 'out-of-range', 'A value outside the range its technique accepts.'],
  unusualValue: ['M020', 'unusual-value', 'A legal but suspicious value (a no-op at full cost, far from the paper, …).'],
  unknownLayer: ['M021', 'unknown-layer', 'A layer reference that matches no layer of the model.'],
  duplicateLayer: ['M022', 'duplicate-layer', 'Two layers with the same name.'],
  nmSparsityMismatch: ['M023', 'nm-sparsity-mismatch', 'An N:M pattern whose implied sparsity differs from the written target.'],
  nmWidth: ['M024', 'nm-width', "A layer whose reduction width is not a multiple of the N:M pattern's M."],
  phaseOrder: ['M025', 'phase-order', 'A phase whose bounds violate from < to <= epochs.'],
  missingBase: ['M026', 'missing-base', 'A sharpness-aware wrapper without a base optimizer.'],
  noNormLayers: ['M027', 'no-norm-layers', 'sam_on on a model without normalization layers to perturb.'],
  qatBeforePruning: ['M028', 'qat-before-pruning', 'Quantization-aware training that starts before pruning has finished.'],
  shapeMismatch: ['M029', 'shape-mismatch', 'A model whose input or output does not fit the data, or an image setting (augmentation, per-channel statistics) on data that is not images.'],
  badArgument: ['M031', 'bad-argument', 'A positional argument where none fits, or one after named arguments.'],
  wrongKind: ['M032', 'wrong-kind', 'A technique of the wrong kind for its place (a schedule where an optimizer goes, …).'],
  layerRule: ['M033', 'layer-rule', 'A layer that does not fit its place in the model (conv after flatten, …).'],
  estimate: ['M034', 'estimate', 'Static estimates of the model (parameters, FLOPs, bytes).'],
  noHiddenLayers: ['M035', 'no-hidden-layers', 'muon on a model whose only weight layers are its first and last, which it leaves to aux.'],
  exportPath: ['M036', 'export-path', "A `report { export = … }` path that is not a `.onnx` file inside the recipe's folder (absolute, `..` above it, empty, a folder, a recipe)."],
  modelFile: ['M037', 'model-file', 'An imported model (`model onnx("…")`) that cannot be read, or that uses operators Minima cannot train through (each named with its node).'],
  mergedInitializers: ['M038', 'merged-initializers', 'Info: an imported model whose exporter merged equal-valued initializers behind Identity nodes; each consumer trains its own copy unless `tie = true`.'],
  sweepPath: ['M040', 'sweep-path', 'A sweep path that reaches no value of the recipe (no such block, attribute or parameter, or a technique not written).'],
  sweepValue: ['M041', 'sweep-value', 'Sweep values that do not fit the strategy (a grid path without a list, a distribution in a grid, an empty list, no path at all).'],
} as const;

export type CodeName = keyof typeof TABLE;

/** `CODES.unknownLayer === 'M021'`. */
export const CODES: { readonly [K in CodeName]: (typeof TABLE)[K][0] } = Object.fromEntries(
  Object.entries(TABLE).map(([k, v]) => [k, v[0]]),
) as { readonly [K in CodeName]: (typeof TABLE)[K][0] };

export const CODE_INFO: readonly CodeInfo[] = Object.values(TABLE).map(([code, slug, summary]) => ({ code, slug, summary }));
