// writeExport, the engine's last word on `report { export = "…" }`: it applies the checker's
// M036 rule again (a run may start from a plan that bypassed the check), keeps the model inside
// the recipe's folder through symbolic links, and never replaces a file Minima did not write.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { encodeModel } from '../../compiler/onnx';
import { writeExport, type ExportResult } from '../export-target';

const model = (producerName: string) => encodeModel({ irVersion: 8, opset: 17, producerName, graph: { name: 'g', nodes: [], initializers: [], inputs: [], outputs: [], valueInfo: [] } });
const OURS = model('minima');
const OURS_OLD = encodeModel({ irVersion: 8, opset: 17, producerName: 'minima', graph: { name: 'old', nodes: [], initializers: [], inputs: [], outputs: [], valueInfo: [] } });

function folder(files: Readonly<Record<string, string | Uint8Array>> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-export-'));
  for (const [name, data] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), data);
  }
  return dir;
}

function written(r: ExportResult): { path: string; note?: string } {
  assert.equal(r.kind, 'written', r.kind === 'refused' ? r.message : r.kind);
  return r as { path: string; note?: string };
}

test('no export attribute writes nothing', () => {
  assert.deepEqual(writeExport(undefined, OURS, { baseDir: folder() }), { kind: 'none' });
});

test('an export path inside the recipe folder is written, folders created', () => {
  const dir = folder();
  const r = written(writeExport('out/deep/m.onnx', OURS, { baseDir: dir }));
  assert.equal(r.path, path.join(dir, 'out', 'deep', 'm.onnx'));
  assert.equal(r.note, undefined);
  assert.deepEqual(fs.readFileSync(r.path), Buffer.from(OURS));
});

// Each path the checker reports as M036: refused before anything is written, the recipe intact.
const REFUSED: readonly (readonly [exportPath: string, message: RegExp])[] = [
  ['self.minima', /would overwrite a recipe/],
  ['victim.txt', /must name a \.onnx file/],
  ['../../../tmp/x.onnx', /leaves the recipe's folder/],
  ['/tmp/x.onnx', /absolute path/],
  ['.', /names a folder/],
  ['', /export is empty/],
];

for (const [exportPath, message] of REFUSED) {
  test(`export ${JSON.stringify(exportPath)} is refused even when the check was bypassed`, () => {
    const dir = folder({ 'self.minima': 'recipe "self" {}\n', 'victim.txt': 'precious\n' });
    const before = fs.readdirSync(dir).sort();
    const r = writeExport(exportPath, OURS, { baseDir: dir, kept: '/runs/1/model.onnx' });
    assert.equal(r.kind, 'refused');
    assert.match(r.kind === 'refused' ? r.message : '', message);
    assert.match(r.kind === 'refused' ? r.message : '', /the trained model is kept in \/runs\/1\/model\.onnx/);
    assert.deepEqual(fs.readdirSync(dir).sort(), before);
    assert.equal(fs.readFileSync(path.join(dir, 'self.minima'), 'utf8'), 'recipe "self" {}\n');
    assert.equal(fs.readFileSync(path.join(dir, 'victim.txt'), 'utf8'), 'precious\n');
  });
}

test('a file Minima did not write is kept; the model goes to name-2.onnx and the result says so', () => {
  const dir = folder({ 'out/m.onnx': model('pytorch') });
  const r = written(writeExport('out/m.onnx', OURS, { baseDir: dir }));
  assert.equal(r.path, path.join(dir, 'out', 'm-2.onnx'));
  assert.equal(r.note, `${path.join('out', 'm.onnx')} exists and was not written by Minima; wrote ${path.join('out', 'm-2.onnx')}`);
  assert.deepEqual(fs.readFileSync(path.join(dir, 'out', 'm.onnx')), Buffer.from(model('pytorch')));
  assert.deepEqual(fs.readFileSync(r.path), Buffer.from(OURS));
});

test("a model Minima wrote is replaced, at the named path or at the numbered one an earlier run took", () => {
  const dir = folder({ 'm.onnx': OURS_OLD, 'f.onnx': 'not a model', 'f-2.onnx': OURS_OLD });
  const same = written(writeExport('m.onnx', OURS, { baseDir: dir }));
  assert.equal(same.path, path.join(dir, 'm.onnx'));
  assert.equal(same.note, undefined);
  assert.deepEqual(fs.readFileSync(same.path), Buffer.from(OURS));
  const beside = written(writeExport('f.onnx', OURS, { baseDir: dir }));
  assert.equal(beside.path, path.join(dir, 'f-2.onnx'));
  assert.deepEqual(fs.readFileSync(beside.path), Buffer.from(OURS));
  assert.equal(fs.readFileSync(path.join(dir, 'f.onnx'), 'utf8'), 'not a model');
});

test('a folder at the export path is not an EISDIR: the model goes beside it', () => {
  const dir = folder();
  fs.mkdirSync(path.join(dir, 'm.onnx'));
  const r = written(writeExport('m.onnx', OURS, { baseDir: dir }));
  assert.equal(r.path, path.join(dir, 'm-2.onnx'));
});

test('a symbolic link that leads out of the recipe folder is refused', () => {
  const dir = folder();
  const outside = folder();
  fs.symlinkSync(outside, path.join(dir, 'out'));
  const r = writeExport('out/m.onnx', OURS, { baseDir: dir });
  assert.equal(r.kind, 'refused');
  assert.match(r.kind === 'refused' ? r.message : '', /through a symbolic link, outside the recipe's folder/);
  assert.deepEqual(fs.readdirSync(outside), []);
});

test('a link at the export path itself is kept, even one to a file inside the folder', () => {
  const dir = folder({ 'victim.txt': 'precious\n' });
  fs.symlinkSync(path.join(dir, 'victim.txt'), path.join(dir, 'm.onnx'));
  const r = written(writeExport('m.onnx', OURS, { baseDir: dir }));
  assert.equal(r.path, path.join(dir, 'm-2.onnx'));
  assert.equal(fs.readFileSync(path.join(dir, 'victim.txt'), 'utf8'), 'precious\n');
});

test('a file where a folder should be is an environment error naming the path, not a throw', () => {
  const dir = folder({ out: 'a file' });
  const r = writeExport('out/m.onnx', OURS, { baseDir: dir });
  assert.equal(r.kind, 'refused');
  const env = r.kind === 'refused' ? r.environment : undefined;
  assert.ok(env, 'expected an environment error');
  assert.ok(['EEXIST', 'ENOTDIR'].includes(env.code), env.code);
  assert.match(env.message, /^cannot write the model: .*out(\/m\.onnx)?: /);
});
