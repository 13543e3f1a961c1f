// The command-line interface: `minima check`, `--help`, `--version`. IO lives here, at the edge;
// the language, catalog and checker below it never touch the outside world.
// Knows nothing about LSP, vscode or the language server (bin/minima.js dispatches `lsp` itself).

export { main, type Io } from './main';
export { checkCommand } from './check';
