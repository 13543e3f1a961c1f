#!/usr/bin/env node
// @ts-check
// Checks a packed VSIX (`npm run package`): at most 15 MB, holds what the extension loads (the
// bundles, onnxruntime-web's wasm runtime, the bundled data, grammar, language configuration,
// README and license), and nothing else (no source maps, TypeScript sources or node_modules).
// Prints the size and the entries. Usage: node client/packaging/check-vsix.mjs minima.vsix

import * as fs from 'node:fs';

const LIMIT_BYTES = 15 * 1024 * 1024;
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
const FORBIDDEN = [/\.map$/, /\.ts$/, /(^|\/)node_modules\//, /(^|\/)test-fixtures\//, /(^|\/)\.minima\//];

const file = process.argv[2];
if (!file) {
  console.error('usage: node client/packaging/check-vsix.mjs <file.vsix>');
  process.exit(2);
}
const bytes = fs.readFileSync(file);
const entries = centralDirectory(bytes);
const names = entries.map((e) => e.name);
const problems = [
  ...(bytes.length > LIMIT_BYTES ? [`${(bytes.length / 1e6).toFixed(2)} MB is over the ${LIMIT_BYTES / 1024 / 1024} MiB budget`] : []),
  ...REQUIRED.filter((r) => !names.includes(r)).map((r) => `missing ${r}`),
  ...names.filter((n) => FORBIDDEN.some((f) => f.test(n))).map((n) => `should not be packed: ${n}`),
  ...(names.some((n) => /^extension\/readme\.md$/i.test(n)) ? [] : ['missing the README']),
  ...(names.some((n) => /^extension\/license(\.txt|\.md)?$/i.test(n)) ? [] : ['missing the license']),
];
for (const e of entries) console.log(`${String(e.size).padStart(10)}  ${String(e.packed).padStart(10)}  ${e.name}`);
console.log(`${file}: ${(bytes.length / 1024 / 1024).toFixed(2)} MiB (${bytes.length} bytes), ${entries.length} files, unpacked ${(entries.reduce((s, e) => s + e.size, 0) / 1024 / 1024).toFixed(2)} MiB`);
if (problems.length > 0) {
  for (const p of problems) console.error(`VSIX: ${p}`);
  process.exit(1);
}
console.log('VSIX OK');

/** The entries of a zip's central directory (no zip64: a VSIX under 4 GiB). */
function centralDirectory(buf) {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error(`${file} is not a zip archive`);
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const out = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${i}`);
    const packed = buf.readUInt32LE(at + 20);
    const size = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const extra = buf.readUInt16LE(at + 30);
    const comment = buf.readUInt16LE(at + 32);
    out.push({ name: buf.toString('utf8', at + 46, at + 46 + nameLength), size, packed });
    at += 46 + nameLength + extra + comment;
  }
  return out;
}
