// Bundles, for `webpack --mode production` (the VSIX) or `--mode development` (readable source maps):
// - dist/client.js (the extension, loaded by VS Code) and dist/server.js (the language server), for Node;
// - dist/worker.js (one forked process per run), for Node, with onnxruntime-web's CPU runtime
//   (ort-wasm-simd-threaded.{mjs,wasm}) and the bundled data sets (assets/) copied next to it;
//   onnxruntime-node and webgpu are not bundled: a platform VSIX puts them in dist/node_modules/;
// - dist/webview.js and dist/webview.css (the results panel), for the browser sandbox of a webview;
// - out/report/report.js and report.css (the HTML report's page: the same dashboard), for any browser;
//   `minima report` inlines them into each page (runtime/cli/report-page.ts). Built by `npm run build`
//   (`webpack --config-name report`), so the CLI works from a fresh clone after `npm install`.

'use strict';

const fs = require('node:fs');
const path = require('node:path');

const tsRule = (configFile) => ({ test: /\.ts$/, exclude: /node_modules/, use: [{ loader: 'ts-loader', options: { transpileOnly: true, ...(configFile ? { configFile } : {}) } }] });

/** Copies files into the output folder after each build; `from` is relative to the repository. */
class CopyFilesPlugin {
  constructor(files, concat) {
    this.files = files;
    this.concat = concat ?? [];
  }
  apply(compiler) {
    compiler.hooks.afterEmit.tap('CopyFilesPlugin', (compilation) => {
      const out = compilation.outputOptions.path;
      for (const { from, to } of this.files) {
        fs.mkdirSync(path.dirname(path.join(out, to)), { recursive: true });
        fs.copyFileSync(path.resolve(__dirname, from), path.join(out, to));
      }
      for (const { from, to } of this.concat) {
        fs.writeFileSync(path.join(out, to), from.map((f) => fs.readFileSync(path.resolve(__dirname, f), 'utf8')).join('\n'));
      }
    });
  }
}

/**
 * Leaves each `require(x)` in our own sources whose request is computed at run time to Node's own
 * `require`, resolved from the emitted bundle's folder (dist/).
 * NOTE: the engine loads its optional native packages that way (runtime/engine/backend/native.ts
 * `require(spec)` for onnxruntime-node, adapter.ts for webgpu). Webpack would otherwise compile
 * each into an empty context that always throws "Cannot find module", so the bundled worker could
 * never run native or webgpu. Node finds them in dist/node_modules/ in a platform VSIX
 * (client/packaging/package.mjs) and in the repository's node_modules/ in development.
 */
class NodeRequireForComputedRequests {
  apply(compiler) {
    const name = 'NodeRequireForComputedRequests';
    compiler.hooks.normalModuleFactory.tap(name, (factory) => {
      factory.hooks.parser.for('javascript/auto').tap(name, (parser) => {
        parser.hooks.call.for('require').tap(name, (expr) => {
          const resource = parser.state.module?.resource ?? '';
          if (/[\\/]node_modules[\\/]/.test(resource) || expr.arguments.length !== 1 || expr.arguments[0].type === 'SpreadElement') return undefined;
          if (parser.evaluateExpression(expr.arguments[0]).isString()) return undefined; // a literal: bundled or external as usual
          // Handled: no context module is made and the call is emitted as written; `require` is a
          // free name inside webpack's module functions, i.e. Node's require of dist/worker.js.
          parser.walkExpressions(expr.arguments);
          return true;
        });
      });
    });
  }
}

/** @type {(env: unknown, argv: { mode?: string }) => import('webpack').Configuration[]} */
module.exports = (_env, argv) => {
  const common = {
    mode: argv.mode ?? 'none',
    devtool: argv.mode === 'production' ? false : 'source-map',
    infrastructureLogging: { level: 'log' },
    // NOTE: compareBeforeEmit off: every build rewrites its bundles, so their mtimes say when they
    // were built (the e2e launcher rebuilds when a source is newer than the oldest bundle).
    output: { path: path.resolve(__dirname, 'dist'), filename: '[name].js', devtoolModuleFilenameTemplate: '../[resource-path]', compareBeforeEmit: false },
  };
  const ort = 'node_modules/onnxruntime-web/dist';
  return [
    {
      ...common,
      name: 'node',
      target: 'node',
      entry: { client: './client/extension.ts', server: './server/main.ts' },
      output: { ...common.output, library: { type: 'commonjs2' } },
      // `vscode` is provided by the editor at run time; everything else is bundled.
      externals: { vscode: 'commonjs vscode' },
      // The ESM builds of vscode-languageserver-types avoid UMD's dynamic require, which webpack cannot follow.
      resolve: { extensions: ['.ts', '.js'], conditionNames: ['module', 'node', 'require', 'default'] },
      module: { rules: [tsRule()] },
    },
    {
      ...common,
      name: 'worker',
      target: 'node',
      entry: { worker: './client/run-worker.ts' },
      // NOTE: `__dirname` stays Node's (the dist folder), where the copies below are found.
      node: { __dirname: false, __filename: false },
      // onnxruntime-node and webgpu ship native binaries that cannot be bundled: they stay run-time
      // `require`s (see NodeRequireForComputedRequests), which fail when the package is not there
      // (the generic VSIX): the engine then falls back to wasm and the adapter goes unnamed.
      externals: { 'onnxruntime-node': 'commonjs onnxruntime-node', webgpu: 'commonjs webgpu', vscode: 'commonjs vscode' },
      resolve: { extensions: ['.ts', '.js'], conditionNames: ['node', 'require', 'default'] },
      module: {
        rules: [tsRule()],
        // onnxruntime-web imports its .mjs by a path computed at run time (wasmPaths); these settings
        // keep webpack from resolving that import, and are the ones the bundled worker was verified with.
        parser: { javascript: { dynamicImportMode: 'eager', exprContextCritical: false } },
      },
      plugins: [
        new NodeRequireForComputedRequests(),
        new CopyFilesPlugin([
          { from: `${ort}/ort-wasm-simd-threaded.mjs`, to: 'ort-wasm-simd-threaded.mjs' },
          { from: `${ort}/ort-wasm-simd-threaded.wasm`, to: 'ort-wasm-simd-threaded.wasm' },
          { from: 'runtime/engine/data/assets/digits.csv.gz', to: 'assets/digits.csv.gz' },
        ]),
      ],
    },
    {
      ...common,
      name: 'webview',
      target: 'web',
      entry: { webview: './client/webview/ui/main.ts' },
      output: { ...common.output, library: undefined },
      resolve: { extensions: ['.ts', '.js'] },
      module: { rules: [tsRule(path.resolve(__dirname, 'client/webview/ui/tsconfig.json'))] },
      plugins: [new CopyFilesPlugin([], [{ from: ['node_modules/uplot/dist/uPlot.min.css', 'client/webview/ui/style.css'], to: 'webview.css' }])],
      performance: { hints: false },
    },
    {
      ...common,
      name: 'report',
      target: 'web',
      // Always minified and without a source map: the bundle is inlined into every report.
      mode: 'production',
      devtool: false,
      entry: { report: './client/report/main.ts' },
      output: { ...common.output, path: path.resolve(__dirname, 'out', 'report'), library: undefined },
      resolve: { extensions: ['.ts', '.js'] },
      module: { rules: [tsRule(path.resolve(__dirname, 'client/report/tsconfig.json'))] },
      plugins: [new CopyFilesPlugin([], [{ from: ['node_modules/uplot/dist/uPlot.min.css', 'client/webview/ui/style.css', 'client/report/style.css'], to: 'report.css' }])],
      performance: { hints: false },
    },
  ];
};
