// `data csv(path, label: …)`: a table of numbers, one example per row.
//
// Every column but the label is a feature and must hold a finite number on every row; the error
// names the line and the column otherwise. Classification labels may be any text: the distinct
// values become classes 0..C−1 in sorted order (numerically when every label is a number, so
// "2" < "10"; else by UTF-16 code units), and `classNames` records the mapping. Regression labels
// must be numbers. The file may be gzip-compressed.

import * as path from 'node:path';
import type { TechniqueUse } from '../../catalog';
import { boolArg, optionalStringArg, stringArg } from './args';
import { gunzipIfNeeded, readBytes } from './files';
import { parseNumber, type Row, splitRows } from './table';
import { dataError, type DataError, type Dataset } from './types';

export function loadCsv(source: TechniqueUse, baseDir: string): Dataset | DataError {
  const options = csvOptions(source, baseDir);
  if ('kind' in options) return options;
  const { file, label, task, delimiter, header } = options;

  const bytes = readBytes(file);
  if ('kind' in bytes) return bytes;
  const plain = gunzipIfNeeded(bytes, file);
  if ('kind' in plain) return plain;
  const rows = splitRows(new TextDecoder().decode(plain), delimiter, file);
  if ('kind' in rows) return rows;
  const first = rows[0];
  if (first === undefined) return dataError(`${file}: the file has no rows`, file);

  const width = first.fields.length;
  const names = header ? first.fields.map((f) => f.trim()) : undefined;
  const body = header ? rows.slice(1) : rows;
  if (body.length === 0) return dataError(`${file}: the file has a header but no data rows`, file);
  const labelIndex = findLabel(label, names, width, file);
  if (typeof labelIndex !== 'number') return labelIndex;
  if (width < 2) return dataError(`${file}: the only column is the label; there are no feature columns`, file);
  const columnName = (c: number): string => (names === undefined ? `column ${c}` : `column "${names[c] ?? c}"`);

  const features = width - 1;
  const x = new Float32Array(body.length * features);
  const rawLabels: string[] = [];
  for (const [r, row] of body.entries()) {
    if (row.fields.length !== width) {
      return dataError(`${file}:${row.line}: expected ${width} fields, found ${row.fields.length}`, file, row.line);
    }
    let f = 0;
    for (const [c, field] of row.fields.entries()) {
      if (c === labelIndex) {
        rawLabels.push(field.trim());
        continue;
      }
      const v = parseNumber(field);
      if (v === undefined) return notANumber(file, row, columnName(c), field);
      x[r * features + f++] = v;
    }
  }

  const base = { name: 'csv', inputShape: [features], x, count: body.length } as const;
  if (task === 'regression') {
    const y = new Float32Array(body.length);
    for (const [r, raw] of rawLabels.entries()) {
      const v = parseNumber(raw);
      const row = body[r];
      if (v === undefined && row !== undefined) return notANumber(file, row, `label ${columnName(labelIndex)}`, raw);
      y[r] = v ?? 0;
    }
    return { ...base, task: 'regression', targets: 1, y };
  }
  const { classNames, y } = classesOf(rawLabels);
  return { ...base, task: 'classification', classes: classNames.length, classNames, y };
}

interface CsvOptions {
  readonly file: string;
  readonly label: string;
  readonly task: 'classification' | 'regression';
  readonly delimiter: string;
  readonly header: boolean;
}

function csvOptions(source: TechniqueUse, baseDir: string): CsvOptions | DataError {
  const relative = stringArg(source, 'path');
  if (typeof relative !== 'string') return relative;
  const file = path.resolve(baseDir, relative);
  const label = stringArg(source, 'label');
  if (typeof label !== 'string') return label;
  const task = stringArg(source, 'task');
  if (typeof task !== 'string') return task;
  if (task !== 'classification' && task !== 'regression') return dataError(`csv: task must be classification or regression, got "${task}"`);
  const given = optionalStringArg(source, 'delimiter');
  if (typeof given === 'object') return given;
  const delimiter = given ?? (/\.tsv(\.gz)?$/i.test(file) ? '\t' : ',');
  if ([...delimiter].length !== 1 || delimiter === '"' || delimiter === '\n') {
    return dataError(`csv: the delimiter must be one character other than a quote or a line break, got ${JSON.stringify(delimiter)}`);
  }
  const header = boolArg(source, 'header');
  if (typeof header !== 'boolean') return header;
  return { file, label, task, delimiter, header };
}

function findLabel(label: string, names: readonly string[] | undefined, width: number, file: string): number | DataError {
  if (names !== undefined) {
    const i = names.indexOf(label.trim());
    if (i >= 0) return i;
    return dataError(`${file}: label column "${label}" not found; the columns are: ${names.map((n) => `"${n}"`).join(', ')}`, file, 1);
  }
  const i = /^\d+$/.test(label.trim()) ? Number(label.trim()) : -1;
  if (i >= 0 && i < width) return i;
  return dataError(`${file}: the file has no header, so label must be a 0-based column index from 0 to ${width - 1}, got "${label}"`, file);
}

function notANumber(file: string, row: Row, column: string, field: string): DataError {
  return dataError(`${file}:${row.line}: ${column} is not a number: ${JSON.stringify(field)}`, file, row.line);
}

/** Distinct labels sorted (numerically when all are numbers), and each row's class index. */
function classesOf(raw: readonly string[]): { classNames: string[]; y: Float32Array } {
  const numeric = raw.every((s) => parseNumber(s) !== undefined);
  // NOTE: numeric labels are compared as numbers, so "1" and "1.0" are one class named "1".
  const keys = numeric ? raw.map((s) => String(parseNumber(s))) : raw;
  const distinct = [...new Set(keys)];
  distinct.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(distinct.map((k, i) => [k, i]));
  return { classNames: distinct, y: Float32Array.from(keys, (k) => index.get(k) ?? 0) };
}
