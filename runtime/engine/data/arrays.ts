// `data npy(features, labels)` and `data npz(path, features: "x", labels: "y")`: NumPy arrays of
// features and labels, one example per row of the first axis.
//
// Features of shape (N, d1, …, dk) give examples of shape [d1, …, dk] as they are: (N, C, H, W)
// images for a CNN, (N, F) rows for an MLP. With `channels_last`, (N, H, W, C) arrays (as Keras
// and TensorFlow store images) are transposed to (N, C, H, W). uint8 features are pixels and are
// divided by 255 (to [0, 1], as idx and torchvision's ToTensor do); other dtypes are read as they
// are and must be finite. Classification labels are class indices, shape (N,), integers ≥ 0, and
// `classes` is the largest + 1; regression labels are (N,) or (N, targets) numbers.

import * as path from 'node:path';
import type { TechniqueUse } from '../../catalog';
import { boolArg, stringArg } from './args';
import { readBytes } from './files';
import { multiIndex, readNpy, showNpyShape, type NpyArray } from './npy';
import { dataError, isDataError, type DataError, type Dataset } from './types';
import { zipMemberBytes, zipMembers } from './zip';

/** More classes than this is a labelling mistake (labels that are not class indices), not a task. */
export const MAX_CLASSES = 100_000;

export function loadNpy(source: TechniqueUse, baseDir: string): Dataset | DataError {
  const options = arrayOptions(source);
  if (isDataError(options)) return options;
  const read = (arg: string): Named | DataError => {
    const name = stringArg(source, arg);
    if (typeof name !== 'string') return name;
    const file = path.resolve(baseDir, name);
    const bytes = readBytes(file);
    if ('kind' in bytes) return bytes;
    const array = readNpy(bytes, file);
    return isDataError(array) ? array : { array, where: file, file };
  };
  const features = read('features');
  if (isDataError(features)) return features;
  const labels = read('labels');
  if (isDataError(labels)) return labels;
  return datasetOf('npy', features, labels, options);
}

export function loadNpz(source: TechniqueUse, baseDir: string): Dataset | DataError {
  const options = arrayOptions(source);
  if (isDataError(options)) return options;
  const relative = stringArg(source, 'path');
  if (typeof relative !== 'string') return relative;
  const featuresKey = stringArg(source, 'features');
  if (typeof featuresKey !== 'string') return featuresKey;
  const labelsKey = stringArg(source, 'labels');
  if (typeof labelsKey !== 'string') return labelsKey;
  const file = path.resolve(baseDir, relative);
  const bytes = readBytes(file);
  if ('kind' in bytes) return bytes;
  const members = zipMembers(bytes, file);
  if (!Array.isArray(members)) return members;
  const read = (key: string): Named | DataError => {
    const member = members.find((m) => m.name === `${key}.npy`) ?? members.find((m) => m.name === key);
    if (!member) {
      const keys = members.map((m) => `"${m.name.replace(/\.npy$/, '')}"`);
      return dataError(`${file}: no array named "${key}"; the file holds ${keys.length === 0 ? 'no arrays' : keys.join(', ')}`, file);
    }
    const where = `${file}[${key}]`;
    const data = zipMemberBytes(bytes, member, file);
    if ('kind' in data) return data;
    const array = readNpy(data, where);
    return isDataError(array) ? { ...array, path: file } : { array, where, file };
  };
  const features = read(featuresKey);
  if (isDataError(features)) return features;
  const labels = read(labelsKey);
  if (isDataError(labels)) return labels;
  return datasetOf('npz', features, labels, options);
}

/** An array and how errors name it: its file, or `file[key]` inside an .npz. */
interface Named {
  readonly array: NpyArray;
  readonly where: string;
  /** The file on disk, for `DataError.path`. */
  readonly file: string;
}

interface ArrayOptions {
  readonly task: 'classification' | 'regression';
  readonly channelsLast: boolean;
}

function arrayOptions(source: TechniqueUse): ArrayOptions | DataError {
  const task = stringArg(source, 'task');
  if (typeof task !== 'string') return task;
  if (task !== 'classification' && task !== 'regression') return dataError(`${source.name}: task must be classification or regression, got "${task}"`);
  const channelsLast = boolArg(source, 'channels_last');
  if (typeof channelsLast !== 'boolean') return channelsLast;
  return { task, channelsLast };
}

function datasetOf(name: string, features: Named, labels: Named, options: ArrayOptions): Dataset | DataError {
  const fs = features.array.shape;
  const err = (n: Named, message: string): DataError => dataError(`${n.where}: ${message}`, n.file);
  if (fs.length < 2) return err(features, `the features have shape ${showNpyShape(fs)}; they need one row per example: (N, features…), e.g. (N, 3, 32, 32) images or (N, 8) rows`);
  const count = fs[0] ?? 0;
  const labelCount = labels.array.shape[0] ?? 0;
  if (labels.array.shape.length === 0 || labelCount !== count) {
    return dataError(`${labels.where} has ${labels.array.shape.length === 0 ? 'a single value' : `${labelCount} labels`} but ${features.where} has ${count} examples`, labels.file);
  }
  if (count === 0) return err(features, `the array holds no examples (shape ${showNpyShape(fs)})`);
  if (options.channelsLast && fs.length !== 4) return err(features, `channels_last needs images of shape (N, height, width, channels), but the features have shape ${showNpyShape(fs)}`);

  const x = features.array.toFloat32(features.array.dtype === 'uint8' ? 1 / 255 : 1);
  for (let i = 0; i < x.length; i++) {
    const v = x[i] ?? 0;
    // NOTE: a finite float64 beyond float32's range becomes ±Infinity here, and is reported as such.
    if (!Number.isFinite(v)) return err(features, `element ${multiIndex(i, fs)} is ${Number.isNaN(v) ? 'NaN' : v > 0 ? 'inf' : '-inf'}${Number.isFinite(features.array.at(i)) ? ' as float32' : ''}; every feature must be a finite number`);
  }
  const inputShape = options.channelsLast ? [fs[3] ?? 1, fs[1] ?? 1, fs[2] ?? 1] : fs.slice(1);
  const base = { name, inputShape, x: options.channelsLast ? toChannelsFirst(x, fs) : x, count } as const;

  const ls = labels.array.shape;
  if (options.task === 'regression') {
    if (ls.length > 2) return err(labels, `regression labels need shape (N,) or (N, targets), got ${showNpyShape(ls)}`);
    const y = labels.array.toFloat32();
    for (let i = 0; i < y.length; i++) if (!Number.isFinite(y[i] ?? 0)) return err(labels, `label ${multiIndex(i, ls)} is ${String(labels.array.at(i))}; every label must be a finite number`);
    return { ...base, task: 'regression', targets: ls[1] ?? 1, y };
  }
  if (ls.length !== 1) {
    const hint = ls.length === 2 ? ' (for one-hot rows, save labels.argmax(axis=1))' : '';
    return err(labels, `classification labels need shape (N,), one class index per example, got ${showNpyShape(ls)}${hint}`);
  }
  const y = new Float32Array(count);
  let classes = 0;
  for (let i = 0; i < count; i++) {
    const v = labels.array.at(i);
    if (!Number.isInteger(v) || v < 0) return err(labels, `label [${i}] is ${String(v)}; class labels must be integers ≥ 0 (class indices)`);
    if (v >= MAX_CLASSES) return err(labels, `label [${i}] is ${v}; class labels must be class indices 0…C−1, and more than ${MAX_CLASSES} classes is not a classification task Minima trains`);
    y[i] = v;
    classes = Math.max(classes, v + 1);
  }
  return { ...base, task: 'classification', classes, y };
}

/** (N, H, W, C) values reordered to (N, C, H, W). */
function toChannelsFirst(x: Float32Array, shape: readonly number[]): Float32Array {
  const [n = 0, h = 1, w = 1, c = 1] = shape;
  const out = new Float32Array(x.length);
  for (let i = 0; i < n; i++) {
    const base = i * h * w * c;
    for (let y = 0; y < h; y++) for (let xx = 0; xx < w; xx++) for (let k = 0; k < c; k++) out[base + (k * h + y) * w + xx] = x[base + (y * w + xx) * c + k] ?? 0;
  }
  return out;
}
