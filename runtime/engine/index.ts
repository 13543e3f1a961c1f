// The training engine.
// Knows onnxruntime, data and the training loop; nothing about syntax, LSP or vscode.

export * from './backend';
export * from './events';
export * from './store';
export { environmentError, isEnvironmentError, type EnvironmentError, type WriteAction } from './environment';
export { isInsideReal } from './confine';
export { writeOwnedFile, type OwnedWrite } from './owned-file';
export { runRecipe, type RunOptions, type RunResult } from './run';
export { graphPlacements } from './graph-placements';
