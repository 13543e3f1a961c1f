// `data digits`: the bundled UCI handwritten digits (the 1,797-image test set scikit-learn ships).
//
// The asset `assets/digits.csv.gz` has no header and 65 comma-separated integers per row: 64 pixel
// values 0–16 in row-major 8×8 order, then the label 0–9. Rows keep the file's order (the split
// and the batches shuffle). With `scale` the pixels are divided by 16 so they lie in [0, 1].

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TechniqueUse } from '../../catalog';
import { boolArg } from './args';
import { gunzipIfNeeded, readBytes } from './files';
import { parseNumber, splitRows } from './table';
import { dataError, type DataError, type Dataset } from './types';

export const DIGITS_FILE = 'digits.csv.gz';

export function loadDigits(source: TechniqueUse, assetsDir: string): Dataset | DataError {
  const scale = boolArg(source, 'scale');
  if (typeof scale !== 'boolean') return scale;
  const file = path.join(assetsDir, DIGITS_FILE);
  const bytes = readBytes(file);
  if ('kind' in bytes) return dataError(`the bundled digits data is missing (${bytes.message}); reinstall Minima`, file);
  const plain = gunzipIfNeeded(bytes, file);
  if ('kind' in plain) return plain;
  const rows = splitRows(new TextDecoder().decode(plain), ',', file);
  if ('kind' in rows) return rows;

  const x = new Float32Array(rows.length * 64);
  const y = new Float32Array(rows.length);
  for (const [r, row] of rows.entries()) {
    const values = row.fields.map(parseNumber);
    const label = values[64];
    const pixelsOk = values.length === 65 && values.slice(0, 64).every((v) => v !== undefined && Number.isInteger(v) && v >= 0 && v <= 16);
    if (!pixelsOk || label === undefined || !Number.isInteger(label) || label < 0 || label > 9) {
      return dataError(`${file}:${row.line}: the bundled digits data is damaged (expected 64 pixels 0–16 and a label 0–9)`, file, row.line);
    }
    for (let p = 0; p < 64; p++) x[r * 64 + p] = (values[p] ?? 0) / (scale ? 16 : 1);
    y[r] = label;
  }
  return { name: 'digits', task: 'classification', inputShape: [1, 8, 8], classes: 10, x, y, count: rows.length };
}

/**
 * Where the bundled assets are: `assets/` next to this module when a build copies it there, else
 * `runtime/engine/data/assets` in the nearest folder above this module that has it (a build into
 * `out/` inside the repository). Undefined when neither exists (pass `assetsDir` explicitly then).
 */
export function bundledAssetsDir(): string | undefined {
  const beside = path.join(__dirname, 'assets');
  if (fs.existsSync(path.join(beside, DIGITS_FILE))) return beside;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'runtime', 'engine', 'data', 'assets');
    if (fs.existsSync(path.join(candidate, DIGITS_FILE))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}
