// The checker: syntax tree + catalog → typed plan, diagnostics and semantic side tables.
// Knows the language core and the catalog; nothing about LSP, vscode or onnxruntime.

export * from './types';
export { check, type CheckOptions } from './check';
export { layerNames, type ImportedModelFacts, type ImportedParamFacts, type ImportedLayerFacts, type ModelResolution, type ModelResolver } from './imported-model';
export { exportPathProblem, type ExportPathProblem } from './export-path';
export { planSweep, readSweep, trialCount, sweepablePaths, MAX_CHECKED_TRIALS, type SweepPlan, type SweepSpec, type SweepPath, type SweepValues, type SweepStrategy, type SweepablePath, type Assignment, type Trial, type TrialText } from './sweep';
