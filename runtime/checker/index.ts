// The checker: syntax tree + catalog → typed plan, diagnostics and semantic side tables.
// Knows the language core and the catalog; nothing about LSP, vscode or onnxruntime.

export * from './types';
export { check } from './check';
export { exportPathProblem, type ExportPathProblem } from './export-path';
