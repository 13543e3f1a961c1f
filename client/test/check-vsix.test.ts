// client/packaging/check-vsix.mjs on small hand-made VSIXes: the target comes from the manifest,
// the generic VSIX holds no native code, a platform VSIX holds its own binaries and no others'.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import * as zlib from 'node:zlib';

const CHECK = path.resolve('client', 'packaging', 'check-vsix.mjs');
const BASE = [
  'extension/package.json', 'extension/dist/client.js', 'extension/dist/server.js', 'extension/dist/worker.js', 'extension/dist/webview.js',
  'extension/dist/webview.css', 'extension/dist/ort-wasm-simd-threaded.mjs', 'extension/dist/ort-wasm-simd-threaded.wasm',
  'extension/dist/assets/digits.csv.gz', 'extension/syntaxes/minima.tmLanguage.json', 'extension/language-configuration.json',
  'extension/readme.md', 'extension/LICENSE.txt',
];
const M = 'extension/dist/node_modules/';
const LINUX_X64 = [
  `${M}onnxruntime-node/package.json`, `${M}onnxruntime-node/dist/index.js`, `${M}onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node`,
  `${M}onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1`, `${M}onnxruntime-common/package.json`, `${M}onnxruntime-common/dist/cjs/index.js`,
  `${M}webgpu/package.json`, `${M}webgpu/index.js`, `${M}webgpu/dist/linux-x64/dawn.node`,
];

test('check-vsix: a generic VSIX passes; native code or an oversize one fails', () => {
  assert.deepEqual(check(BASE), { ok: true, errors: [] });
  const so = `${M}onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1`;
  assert.deepEqual(check([...BASE, so]).errors, [`VSIX: a generic VSIX should not hold ${so}`]);
  assert.match(check(BASE, undefined, 16 * 1024 * 1024).errors.join('\n'), /over the 15 MiB budget of a generic VSIX/);
});

test('check-vsix: a linux-x64 VSIX holds exactly its platform\'s binaries', () => {
  assert.deepEqual(check([...BASE, ...LINUX_X64], 'linux-x64'), { ok: true, errors: [] });
  const mac = `${M}onnxruntime-node/bin/napi-v6/darwin/arm64/onnxruntime_binding.node`;
  assert.deepEqual(check([...BASE, ...LINUX_X64, mac], 'linux-x64').errors, [
    "VSIX: onnxruntime-node's darwin/arm64 binaries in a linux-x64 VSIX",
    `VSIX: a native binary outside the linux-x64 folders: ${mac}`,
  ]);
  const dawn = `${M}webgpu/dist/linux-x64/dawn.node`;
  assert.deepEqual(check([...BASE, ...LINUX_X64.filter((n) => n !== dawn)], 'linux-x64').errors, [`VSIX: missing ${dawn}`]);
  assert.deepEqual(check([...BASE, ...LINUX_X64], 'linux-armhf').errors, ['VSIX: unknown target platform linux-armhf']);
});

/** Writes a VSIX with these (tiny) entries and its manifest, runs the check, returns its verdict and error lines. */
function check(names: readonly string[], target?: string, padBytes = 0): { ok: boolean; errors: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-check-vsix-'));
  try {
    const manifest = `<?xml version="1.0" encoding="utf-8"?><PackageManifest><Metadata><Identity Language="en-US" Id="minima" Version="0.1.0" Publisher="minima"${target ? ` TargetPlatform="${target}"` : ''}/></Metadata></PackageManifest>`;
    const entries: Array<[string, Buffer]> = [['extension.vsixmanifest', Buffer.from(manifest)], ...names.map((n): [string, Buffer] => [n, Buffer.from('x')])];
    if (padBytes > 0) entries.push(['extension/dist/padding.bin', Buffer.alloc(padBytes)]);
    const file = path.join(dir, 'test.vsix');
    fs.writeFileSync(file, storedZip(entries));
    const r = spawnSync(process.execPath, [CHECK, file], { encoding: 'utf8' });
    return { ok: r.status === 0, errors: r.stderr.split('\n').filter((l) => l !== '') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A zip of stored (uncompressed) entries: local headers, central directory, end record. */
function storedZip(entries: ReadonlyArray<readonly [string, Buffer]>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const n = Buffer.from(name);
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
