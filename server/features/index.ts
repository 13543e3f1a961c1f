// The language server's features: each one a pure function from an analysis (one document
// version) and a request's parameters to an LSP result. Knows LSP types, the analysis and the
// catalog; knows nothing about connections, documents or IO (`server/main.ts` wires these).

export { diagnostics } from './diagnostics';
export { completion } from './completion';
export { hover } from './hover';
export { signatureHelp } from './signature-help';
export { documentSymbols } from './document-symbols';
export { semanticTokens, SEMANTIC_TOKENS_LEGEND } from './semantic-tokens';
export { foldingRanges } from './folding-ranges';
export { formatting } from './formatting';
export { codeActions, CODE_ACTION_KINDS } from './code-actions';
export { inlayHints } from './inlay-hints';
export { definition, references, prepareRename, rename, renameError } from './navigation';
