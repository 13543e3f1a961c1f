// The export-path rule (M036) on its own, one row per path: which paths a recipe may export to,
// and for the others the start of the message and the path the quick fix writes instead. The
// fixtures under test-fixtures/recipes/invalid/export-path-*.minima show each message in a recipe.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportPathProblem } from '..';

const OK = ['model.onnx', 'out/model.onnx', './out/m.onnx', 'a/../b.onnx', 'out\\m.onnx', 'M.ONNX', 'deep/er/x.onnx', 'out/a "b".onnx'];

const BAD: readonly (readonly [path: string, message: string, suggestion: string])[] = [
  ['', 'export is empty', 'model.onnx'],
  ['   ', 'export is empty', 'model.onnx'],
  ['.', "export '.' names a folder", 'model.onnx'],
  ['./', "export './' names a folder", 'model.onnx'],
  ['out/', "export 'out/' names a folder", 'out/model.onnx'],
  ['out/.', "export 'out/.' names a folder", 'out/model.onnx'],
  ['..', "export '..' leaves the recipe's folder", 'model.onnx'],
  ['../x.onnx', "export '../x.onnx' leaves the recipe's folder", 'x.onnx'],
  ['../../../tmp/x.onnx', "export '../../../tmp/x.onnx' leaves the recipe's folder", 'x.onnx'],
  ['out/../../x.onnx', "export 'out/../../x.onnx' leaves the recipe's folder", 'x.onnx'],
  ['out\\..\\..\\x.onnx', "leaves the recipe's folder", 'x.onnx'],
  ['/tmp/x.onnx', "export must be relative to the recipe's folder, found the absolute path '/tmp/x.onnx'", 'x.onnx'],
  ['\\\\server\\share\\x.onnx', 'found the absolute path', 'x.onnx'],
  ['C:\\models\\x.onnx', 'found the absolute path', 'x.onnx'],
  ['c:x.onnx', 'found the absolute path', 'x.onnx'],
  ['self.minima', "export 'self.minima' would overwrite a recipe", 'self.onnx'],
  ['out/Other.MINIMA', 'would overwrite a recipe', 'out/Other.onnx'],
  ['victim.txt', "export must name a .onnx file (the model is written as ONNX), found 'victim.txt'", 'victim.onnx'],
  ['out/model', 'export must name a .onnx file', 'out/model.onnx'],
  ['out/.onnx', 'export must name a .onnx file', 'out/model.onnx'],
  ['model.onnx.bak', 'export must name a .onnx file', 'model.onnx'],
];

for (const p of OK) {
  test(`export path ${JSON.stringify(p)} is accepted`, () => {
    assert.equal(exportPathProblem(p), undefined);
  });
}

for (const [p, message, suggestion] of BAD) {
  test(`export path ${JSON.stringify(p)} is refused`, () => {
    const problem = exportPathProblem(p);
    assert.ok(problem, 'expected a problem');
    assert.ok(problem.message.includes(message), problem.message);
    assert.equal(problem.suggestion, suggestion);
    assert.equal(exportPathProblem(problem.suggestion), undefined, `the suggestion ${problem.suggestion} must itself be accepted`);
  });
}
