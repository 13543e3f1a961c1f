// The graph compiler core: IR, shape inference, reverse-mode autodiff and a float64 reference interpreter.
// Knows graphs and (later) ONNX; nothing about syntax, LSP or vscode.

export * from './ir';
export * from './shape';
export * from './tensor';
export * from './builder';
export * from './grad';
export * from './interpret';
export * from './ops';
export * from './onnx';
