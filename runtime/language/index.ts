// The language core: text, tokens, syntax tree, parser, formatter and diagnostics.
// Knows nothing about techniques, LSP, vscode or onnxruntime.

export * from './text';
export * from './diagnostic';
export * from './codes';
export * from './lexer';
export * from './syntax';
export * from './parser';
export * from './formatter';
