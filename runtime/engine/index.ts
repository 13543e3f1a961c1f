// The training engine.
// Knows onnxruntime, data and the training loop; nothing about syntax, LSP or vscode.

export * from './backend';
export * from './events';
export * from './store';
export { runRecipe, type RunOptions, type RunResult } from './run';
