// @ts-check
// Which VSIX carries what (package.mjs builds them, check-vsix.mjs checks them against this).
//
// The generic VSIX ('universal', no --target) holds the bundles and onnxruntime-web's wasm
// runtime: it runs everywhere, on the wasm backend. A platform VSIX (`vsce package --target T`)
// adds, under dist/node_modules/, onnxruntime-node with only T's binary folder (the native CPU
// and WebGPU execution providers) and the `webgpu` package (Dawn's Node bindings) with only T's
// dawn.node, which names the GPU adapter. Marketplace serves a platform VSIX to its platform and
// the generic one to every platform that has none (darwin-x64, alpine, linux-armhf, web).

/** Budgets in MiB: the generic VSIX is what every other platform downloads. */
export const BUDGET_MIB = { universal: 15, platform: 30 };

/**
 * @typedef {{
 *   ort: string,
 *   ortSkip?: readonly string[],
 *   dawn?: string,
 *   dawnFiles?: readonly string[],
 * }} Platform
 * `ort`: the folder under onnxruntime-node/bin/napi-v6/; `ortSkip`: files of it left out.
 * `dawn`: the folder under webgpu/dist/ (absent: the adapter goes unnamed); `dawnFiles`: only these files of it.
 */

/** @type {Readonly<Record<string, Platform>>} */
export const PLATFORMS = {
  'linux-x64': { ort: 'linux/x64', dawn: 'linux-x64' },
  'linux-arm64': { ort: 'linux/arm64', dawn: 'linux-arm64' },
  // NOTE: the binding links @rpath/libonnxruntime.1.dylib; libonnxruntime.1.30.0.dylib is a byte-identical copy (44 MB).
  'darwin-arm64': { ort: 'darwin/arm64', ortSkip: ['libonnxruntime.1.30.0.dylib'], dawn: 'darwin-universal' },
  // NOTE: onnxruntime.dll delay-loads DirectML.dll, which only the DirectML execution provider
  // uses (the engine asks for 'cpu' or 'webgpu'). Of webgpu's folder only dawn.node is needed to
  // name the adapter; its shader compilers (dxcompiler, d3dcompiler_47) are not.
  'win32-x64': { ort: 'win32/x64', ortSkip: ['DirectML.dll'], dawn: 'win32-x64', dawnFiles: ['dawn.node'] },
  'win32-arm64': { ort: 'win32/arm64', ortSkip: ['DirectML.dll'], dawn: 'win32-arm64', dawnFiles: ['dawn.node'] },
};

/** The targets `npm run package` builds: the one the end-to-end tests install, and the generic VSIX. */
export const DEFAULT_TARGETS = ['linux-x64', 'universal'];

/** The VSIX file name of a target. */
export function vsixName(target) {
  return target === 'universal' ? 'minima.vsix' : `minima-${target}.vsix`;
}
