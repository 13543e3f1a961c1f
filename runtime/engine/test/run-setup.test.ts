// What prepareRun says before the first step when the model's output does not fit the loaded
// data: csv and idx labels are only counted after loading, so the checker cannot compare them
// (it does for bundled data and generators: M029). The message names the layer and its line.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../analysis';
import { prepareRun } from '../run-setup';

const DATA = path.resolve('test-fixtures', 'data');
const TRAIN = '\ntrain {\n  epochs = 1\n  optimizer = sgd(lr: 0.1)\n}\n';
const CSV = 'data csv("tiny.csv", label: "species") {\n  batch = 2\n}\n';
const IDX = 'data idx("tiny-images-idx3-ubyte", "tiny-labels-idx1-ubyte") {\n  batch = 2\n}\n';
const REGRESSION = 'data csv("regression.csv", label: "y", delimiter: ";", task: regression) {\n  batch = 2\n}\n';

/** [name, recipe, the error prepareRun returns (undefined: it prepares the run)]. */
const CASES: [string, string, string | undefined][] = [
  ['csv, 3 classes, dense(7)', `${CSV}\nmodel mlp {\n  dense(8, act: relu)\n  dense(7)\n}\n${TRAIN}`, "the labels have 3 classes, the model's last layer has 7 outputs; set dense(3) on line 7"],
  ['csv, 3 classes, dense(3)', `${CSV}\nmodel mlp {\n  dense(8, act: relu)\n  dense(3)\n}\n${TRAIN}`, undefined],
  ['csv, a named last layer, dropout after it', `${CSV}\nmodel mlp {\n  dense(8, act: relu)\n  scores: dense(2)\n  dropout(0.1)\n}\n${TRAIN}`, "the labels have 3 classes, the model's last layer has 2 outputs; set dense(3) on line 7"],
  ['idx, 6 classes, dense(10)', `${IDX}\nmodel mlp {\n  dense(10)\n}\n${TRAIN}`, "the labels have 6 classes, the model's last layer has 10 outputs; set dense(6) on line 6"],
  ['idx, a cnn without a dense end', `${IDX}\nmodel cnn {\n  conv2d(2, pad: 1)\n  flatten\n}\n${TRAIN}`, 'the labels have 6 classes, but the model outputs 24 values per example; end it with flatten and dense(6) after line 7'],
  ['regression, dense(2)', `${REGRESSION}\nmodel mlp {\n  dense(4, act: relu)\n  dense(2)\n}\n${TRAIN}`, "the data has 1 target, the model's last layer has 2 outputs; set dense(1) on line 7"],
  ['regression, dense(1)', `${REGRESSION}\nmodel mlp {\n  dense(4, act: relu)\n  dense(1)\n}\n${TRAIN}`, undefined],
];

for (const [name, text, expected] of CASES) {
  test(`prepareRun: ${name}`, () => {
    const a = analyze(text);
    assert.ok(a.recipe, JSON.stringify(a.diagnostics.map((d) => d.message)));
    const setup = prepareRun(a.recipe, { baseDir: DATA });
    assert.equal('error' in setup ? setup.error : undefined, expected);
  });
}
