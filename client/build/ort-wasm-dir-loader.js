// A webpack loader for runtime/engine/backend/wasm.ts in the worker bundle: the engine finds
// onnxruntime-web's .mjs/.wasm with `path.dirname(require.resolve('onnxruntime-web'))`, which a
// bundle turns into a module id. In the bundle those two files lie next to dist/worker.js, so the
// expression becomes `__dirname`. NOTE: remove this when the engine takes the wasm folder as an option.

'use strict';

const NEEDLE = "path.dirname(require.resolve('onnxruntime-web'))";

/** @this {{ resourcePath: string }} */
module.exports = function ortWasmDirLoader(source) {
  if (!source.includes(NEEDLE)) throw new Error(`ort-wasm-dir-loader: ${this.resourcePath} no longer contains ${NEEDLE}; update webpack.config.js`);
  return source.split(NEEDLE).join('__dirname');
};
