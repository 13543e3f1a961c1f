#!/usr/bin/env node
// @ts-check
// Checks a packed VSIX (package.mjs runs it on each one). The target is read from the VSIX's own
// manifest (extension.vsixmanifest, TargetPlatform); none means the generic VSIX. Every VSIX holds
// what the extension loads (the bundles, onnxruntime-web's wasm runtime, the bundled data,
// grammar, language configuration, README and license) and no source maps or TypeScript sources.
// - generic: at most 15 MiB, no node_modules and no native binary;
// - platform T: at most 30 MiB, onnxruntime-node under dist/node_modules/ with T's binary folder
//   and no other platform's, onnxruntime-common, and the webgpu package with T's dawn.node only
//   (when platforms.mjs gives T one).
// Prints the size and the entries. Usage: node client/packaging/check-vsix.mjs minima.vsix

import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { BUDGET_MIB, PLATFORMS } from './platforms.mjs';

const REQUIRED = [
  'extension/package.json',
  'extension/dist/client.js',
  'extension/dist/server.js',
  'extension/dist/worker.js',
  'extension/dist/webview.js',
  'extension/dist/webview.css',
  'extension/dist/ort-wasm-simd-threaded.mjs',
  'extension/dist/ort-wasm-simd-threaded.wasm',
  'extension/dist/assets/digits.csv.gz',
  'extension/syntaxes/minima.tmLanguage.json',
  'extension/language-configuration.json',
];
const FORBIDDEN = [/\.map$/, /\.ts$/, /(^|\/)test-fixtures\//, /(^|\/)\.minima\//];
const NATIVE = /\.(node|dll|dylib)$|\.so(\.\d+)*$/;
const MODULES = 'extension/dist/node_modules/';
const ORT_BIN = `${MODULES}onnxruntime-node/bin/napi-v6/`;
const DAWN_DIST = `${MODULES}webgpu/dist/`;

const file = process.argv[2];
if (!file) {
  console.error('usage: node client/packaging/check-vsix.mjs <file.vsix>');
  process.exit(2);
}
const bytes = fs.readFileSync(file);
const entries = centralDirectory(bytes);
const names = entries.map((e) => e.name);
const target = targetPlatform(bytes, entries);
const limitMiB = target ? BUDGET_MIB.platform : BUDGET_MIB.universal;
const problems = [
  ...(bytes.length > limitMiB * 1024 * 1024 ? [`${(bytes.length / 1024 / 1024).toFixed(2)} MiB is over the ${limitMiB} MiB budget of a ${target ? 'platform' : 'generic'} VSIX`] : []),
  ...REQUIRED.filter((r) => !names.includes(r)).map((r) => `missing ${r}`),
  ...names.filter((n) => FORBIDDEN.some((f) => f.test(n))).map((n) => `should not be packed: ${n}`),
  ...(names.some((n) => /^extension\/readme\.md$/i.test(n)) ? [] : ['missing the README']),
  ...(names.some((n) => /^extension\/license(\.txt|\.md)?$/i.test(n)) ? [] : ['missing the license']),
  ...(target ? platformProblems(target, names) : genericProblems(names)),
];
for (const e of entries) console.log(`${String(e.size).padStart(10)}  ${String(e.packed).padStart(10)}  ${e.name}`);
console.log(`${file}: ${target ?? 'generic'}, ${(bytes.length / 1024 / 1024).toFixed(2)} MiB (${bytes.length} bytes, budget ${limitMiB} MiB), ${entries.length} files, unpacked ${(entries.reduce((s, e) => s + e.size, 0) / 1024 / 1024).toFixed(2)} MiB`);
if (problems.length > 0) {
  for (const p of problems) console.error(`VSIX: ${p}`);
  process.exit(1);
}
console.log('VSIX OK');

/** The generic VSIX runs on wasm only: no packages and no native code of any platform. */
function genericProblems(names) {
  return names.filter((n) => n.includes('/node_modules/') || NATIVE.test(n)).map((n) => `a generic VSIX should not hold ${n}`);
}

/** Exactly the target's onnxruntime-node binaries (and dawn.node), nothing of other platforms. */
function platformProblems(target, names) {
  const p = PLATFORMS[target];
  if (!p) return [`unknown target platform ${target}`];
  const ortDir = `${ORT_BIN}${p.ort}/`;
  const dawnDir = p.dawn ? `${DAWN_DIST}${p.dawn}/` : undefined;
  const required = [
    `${MODULES}onnxruntime-node/package.json`,
    `${MODULES}onnxruntime-node/dist/index.js`,
    `${ortDir}onnxruntime_binding.node`,
    `${MODULES}onnxruntime-common/package.json`,
    `${MODULES}onnxruntime-common/dist/cjs/index.js`,
    ...(dawnDir ? [`${MODULES}webgpu/package.json`, `${MODULES}webgpu/index.js`, `${dawnDir}dawn.node`] : []),
  ];
  const ortFolders = new Set(names.filter((n) => n.startsWith(ORT_BIN)).map((n) => n.slice(ORT_BIN.length).split('/').slice(0, 2).join('/')));
  const dawnFolders = new Set(names.filter((n) => n.startsWith(DAWN_DIST)).map((n) => n.slice(DAWN_DIST.length).split('/')[0]));
  return [
    ...required.filter((r) => !names.includes(r)).map((r) => `missing ${r}`),
    ...[...ortFolders].filter((f) => f !== p.ort).map((f) => `onnxruntime-node's ${f} binaries in a ${target} VSIX`),
    ...[...dawnFolders].filter((f) => f !== p.dawn).map((f) => `webgpu's ${f} binaries in a ${target} VSIX`),
    ...names.filter((n) => NATIVE.test(n) && !n.startsWith(ortDir) && !(dawnDir && n.startsWith(dawnDir))).map((n) => `a native binary outside the ${target} folders: ${n}`),
    ...names.filter((n) => n.includes('/node_modules/') && !n.startsWith(MODULES)).map((n) => `a package outside dist/node_modules: ${n}`),
  ];
}

/** TargetPlatform from extension.vsixmanifest's Identity element, or undefined (generic). */
function targetPlatform(buf, entries) {
  const manifest = entries.find((e) => e.name === 'extension.vsixmanifest');
  if (!manifest) throw new Error(`${file} has no extension.vsixmanifest`);
  const xml = readEntry(buf, manifest).toString('utf8');
  const identity = /<Identity\b[^>]*>/.exec(xml)?.[0] ?? '';
  return /\bTargetPlatform="([^"]+)"/.exec(identity)?.[1];
}

/** One entry's bytes (stored or deflated), from its local header. */
function readEntry(buf, e) {
  if (buf.readUInt32LE(e.offset) !== 0x04034b50) throw new Error(`${file}: bad local header for ${e.name}`);
  const start = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28);
  const data = buf.subarray(start, start + e.packed);
  if (e.method === 0) return data;
  if (e.method === 8) return zlib.inflateRawSync(data);
  throw new Error(`${file}: ${e.name} uses zip method ${e.method}`);
}

/** The entries of a zip's central directory (no zip64: a VSIX under 4 GiB). */
function centralDirectory(buf) {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error(`${file} is not a zip archive`);
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const out = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${i}`);
    const method = buf.readUInt16LE(at + 10);
    const packed = buf.readUInt32LE(at + 20);
    const size = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const extra = buf.readUInt16LE(at + 30);
    const comment = buf.readUInt16LE(at + 32);
    const offset = buf.readUInt32LE(at + 42);
    out.push({ name: buf.toString('utf8', at + 46, at + 46 + nameLength), size, packed, method, offset });
    at += 46 + nameLength + extra + comment;
  }
  return out;
}
