// Bundles the extension (dist/client.js, loaded by VS Code) and the language server
// (dist/server.js, started by the client in its own process) for Node.
// `webpack --mode production` for the VSIX; `--mode development` keeps readable source maps.

'use strict';

const path = require('node:path');

/** @type {(env: unknown, argv: { mode?: string }) => import('webpack').Configuration} */
module.exports = (_env, argv) => ({
  target: 'node',
  mode: argv.mode ?? 'none',
  entry: {
    client: './client/extension.ts',
    server: './server/main.ts',
  },
  output: {
    path: path.resolve(__dirname, 'dist'),
    filename: '[name].js',
    library: { type: 'commonjs2' },
    devtoolModuleFilenameTemplate: '../[resource-path]',
  },
  // `vscode` is provided by the editor at run time; everything else is bundled.
  externals: { vscode: 'commonjs vscode' },
  // The ESM builds of vscode-languageserver-types avoid UMD's dynamic require, which webpack cannot follow.
  resolve: { extensions: ['.ts', '.js'], conditionNames: ['module', 'node', 'require', 'default'] },
  module: {
    rules: [{ test: /\.ts$/, exclude: /node_modules/, use: [{ loader: 'ts-loader', options: { transpileOnly: true } }] }],
  },
  devtool: argv.mode === 'production' ? false : 'source-map',
  infrastructureLogging: { level: 'log' },
});
