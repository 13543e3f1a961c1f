#!/usr/bin/env node
// The `minima` command. `lsp` starts the language server; every other command goes to the CLI in
// runtime/cli (which must not depend on the server). Both are the TypeScript output in out/,
// built by `npm install` (the `prepare` script) or `npm run build`.
'use strict';

const path = require('node:path');
const fs = require('node:fs');

const out = path.join(__dirname, '..', 'out');
const args = process.argv.slice(2);

function load(rel) {
  const file = path.join(out, rel);
  if (!fs.existsSync(file + '.js')) {
    process.stderr.write(`minima: ${path.relative(process.cwd(), file)}.js is missing; run \`npm install\` or \`npm run build\` first.\n`);
    process.exit(2);
  }
  return require(file);
}

if (args[0] === 'lsp') {
  load('server/main').startServer();
} else {
  load('runtime/cli/main')
    .main(args)
    .then((code) => {
      process.exitCode = code;
    });
}
