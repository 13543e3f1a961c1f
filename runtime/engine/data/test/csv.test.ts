import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { isDataError, loadDataset } from '..';
import type { PlanValue } from '../../../catalog';
import { dataSource } from '../../../testing/data-sources';

// Paths are relative to the fixture folder, as a recipe's paths are relative to the recipe.
const baseDir = path.resolve('test-fixtures/data');
const load = (args: Readonly<Record<string, PlanValue>>) => loadDataset(dataSource('csv', args), { baseDir, seed: 1 });

interface CsvCase {
  readonly args: Readonly<Record<string, PlanValue>>;
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly classNames?: readonly string[];
}

const CASES: readonly CsvCase[] = [
  // Text labels become classes in sorted order; the blank line is skipped.
  {
    args: { path: 'tiny.csv', label: 'species' },
    x: [1.5, 0.2, 4.7, 1.4, 1.4, 0.2, 6.0, 2.5, 4.5, 1.5, 5.1, 1.9],
    y: [0, 1, 0, 2, 1, 2],
    classNames: ['setosa', 'versicolor', 'virginica'],
  },
  // A feature column as the label; `species` is not numeric, so it cannot be a feature.
  // (covered by the error cases below)
  // No header, tab-separated by extension, numeric labels sorted as numbers ("2" < "10"), "2.0" = "2".
  {
    args: { path: 'numeric-labels.tsv', label: '2', header: false },
    x: [1, 2, 3, 4, 5, 6, 7, 8],
    y: [1, 0, 1, 0],
    classNames: ['2', '10'],
  },
  // The label need not be the last column.
  {
    args: { path: 'numeric-labels.tsv', label: '0', header: false },
    x: [2, 10, 4, 2, 6, 10, 8, 2],
    y: [0, 1, 2, 3],
    classNames: ['1', '3', '5', '7'],
  },
  // Regression with an explicit delimiter.
  {
    args: { path: 'regression.csv', label: 'y', task: 'regression', delimiter: ';' },
    x: [0.5, 1, -1, 2, 3, -0.5],
    y: [2.5, 0.25, 100],
  },
  // Quoted header names with doubled quotes and a delimiter inside; CRLF line ends.
  {
    args: { path: 'quoted.csv', label: 'the, label' },
    x: [1, 2, 3, 4],
    y: [0, 1],
    classNames: ['a', 'b'],
  },
];

for (const c of CASES) {
  test(`csv ${JSON.stringify(c.args)}`, () => {
    const ds = load(c.args);
    assert.ok(!isDataError(ds), isDataError(ds) ? ds.message : '');
    const features = c.x.length / c.y.length;
    assert.equal(ds.count, c.y.length);
    assert.deepEqual(ds.inputShape, [features]);
    assert.deepEqual([...ds.x], c.x.map(Math.fround));
    assert.deepEqual([...ds.y], c.y.map(Math.fround));
    assert.deepEqual(ds.classNames, c.classNames);
    if (c.classNames === undefined) {
      assert.equal(ds.task, 'regression');
      assert.equal(ds.targets, 1);
    } else {
      assert.equal(ds.task, 'classification');
      assert.equal(ds.classes, c.classNames.length);
    }
  });
}

const ERRORS: readonly [Readonly<Record<string, PlanValue>>, RegExp, number | undefined][] = [
  [{ path: 'missing.csv', label: 'y' }, /file not found: .*missing\.csv/, undefined],
  [{ path: 'tiny.csv', label: 'kind' }, /label column "kind" not found; the columns are: "sepal", "petal", "species"/, 1],
  [{ path: 'tiny.csv', label: 'petal' }, /tiny\.csv:2: column "species" is not a number: "setosa"/, 2],
  [{ path: 'tiny.csv', label: 'species', task: 'regression' }, /tiny\.csv:2: label column "species" is not a number: "setosa"/, 2],
  [{ path: 'bad-number.csv', label: 'label' }, /bad-number\.csv:4: column "b" is not a number: "oops"/, 4],
  [{ path: 'bad-width.csv', label: 'label' }, /bad-width\.csv:3: expected 3 fields, found 2/, 3],
  [{ path: 'unterminated.csv', label: 'label' }, /unterminated\.csv:2: unterminated quoted field/, 2],
  [{ path: 'numeric-labels.tsv', label: '3', header: false }, /no header, so label must be a 0-based column index from 0 to 2, got "3"/, undefined],
  [{ path: 'numeric-labels.tsv', label: 'y', header: false }, /label must be a 0-based column index/, undefined],
  [{ path: 'tiny.csv', label: 'species', delimiter: ';' }, /label column "species" not found; the columns are: "sepal,petal,species"/, 1],
  [{ path: 'tiny.csv', label: 'species', delimiter: '"' }, /delimiter must be one character other than a quote/, undefined],
  [{ path: '.', label: 'y' }, /expected a file but found a folder/, undefined],
];

for (const [args, message, line] of ERRORS) {
  test(`csv error ${JSON.stringify(args)}`, () => {
    const r = load(args);
    assert.ok(isDataError(r), 'expected a data error');
    assert.match(r.message, message);
    assert.equal(r.line, line);
  });
}
