// `data idx(images, labels)`: MNIST-style IDX files, optionally gzip-compressed.
//
// IDX (LeCun et al., http://yann.lecun.com/exdb/mnist/): two zero bytes, an element-type byte
// (0x08 = unsigned byte, the only type read here), a byte with the number of dimensions, then
// each dimension as a big-endian uint32, then the elements in row-major order. Images have magic
// 0x00000803 (count × rows × cols, one channel) or 0x00000804 (count × channels × rows × cols,
// channels first as PyTorch stores them), and labels 0x00000801 (count). Pixels are divided by 255
// so inputs lie in [0, 1]; each label byte is its class index, and `classes` is the largest label
// + 1 (10 for MNIST). A file starting with 1f 8b is gunzipped first.

import * as path from 'node:path';
import type { TechniqueUse } from '../../catalog';
import { stringArg } from './args';
import { gunzipIfNeeded, readBytes } from './files';
import { dataError, type DataError, type Dataset } from './types';

export function loadIdx(source: TechniqueUse, baseDir: string): Dataset | DataError {
  const imagesArg = stringArg(source, 'images');
  if (typeof imagesArg !== 'string') return imagesArg;
  const labelsArg = stringArg(source, 'labels');
  if (typeof labelsArg !== 'string') return labelsArg;
  const imagesFile = path.resolve(baseDir, imagesArg);
  const labelsFile = path.resolve(baseDir, labelsArg);

  const images = readIdx(imagesFile, IMAGE_RANKS);
  if ('kind' in images) return images;
  const labels = readIdx(labelsFile, LABEL_RANKS);
  if ('kind' in labels) return labels;
  const [count = 0, ...example] = images.dims;
  const inputShape = example.length === 2 ? [1, ...example] : example;
  const labelCount = labels.dims[0] ?? 0;
  if (count !== labelCount) {
    return dataError(`${labelsArg} has ${labelCount} labels but ${imagesArg} has ${count} images`, labelsFile);
  }
  if (count === 0) return dataError(`${imagesFile}: the file holds no images`, imagesFile);
  if (inputShape.some((d) => d === 0)) return dataError(`${imagesFile}: the images have an empty dimension (${images.dims.join(' × ')})`, imagesFile);

  const x = Float32Array.from(images.data, (v) => v / 255);
  const y = Float32Array.from(labels.data);
  const classes = labels.data.reduce((m, v) => Math.max(m, v + 1), 0);
  return { name: 'idx', task: 'classification', inputShape, classes, x, y, count };
}

interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/** The ranks a file may have, and how its magic is named in errors. */
interface Ranks {
  readonly ranks: readonly number[];
  readonly expected: string;
}

const IMAGE_RANKS: Ranks = { ranks: [3, 4], expected: '0x00000803 (images) or 0x00000804 (images with channels)' };
const LABEL_RANKS: Ranks = { ranks: [1], expected: '0x00000801 (labels)' };

const TYPE_NAMES: Readonly<Record<number, string>> = { 0x08: 'unsigned byte', 0x09: 'signed byte', 0x0b: 'int16', 0x0c: 'int32', 0x0d: 'float32', 0x0e: 'float64' };

function readIdx(file: string, want: Ranks): IdxArray | DataError {
  const raw = readBytes(file);
  if ('kind' in raw) return raw;
  const bytes = gunzipIfNeeded(raw, file);
  if ('kind' in bytes) return bytes;
  const expected = want.expected;
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    return dataError(`${file}: not an IDX file: expected magic ${expected}, found ${hex(bytes.subarray(0, 4))}`, file);
  }
  const type = bytes[2] ?? 0;
  const ndims = bytes[3] ?? 0;
  if (type !== 0x08) {
    return dataError(`${file}: IDX element type 0x${type.toString(16).padStart(2, '0')} (${TYPE_NAMES[type] ?? 'unknown'}) is not supported; only unsigned bytes (0x08) are`, file);
  }
  if (!want.ranks.includes(ndims)) {
    return dataError(`${file}: expected magic ${expected}, found ${hex(bytes.subarray(0, 4))} (${ndims} dimensions)`, file);
  }
  const headerLength = 4 + 4 * ndims;
  if (bytes.length < headerLength) return dataError(`${file}: the IDX header is cut short (${bytes.length} bytes)`, file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  const found = bytes.length - headerLength;
  if (found !== size) {
    return dataError(`${file}: the header promises ${dims.join(' × ')} = ${size} bytes of data but the file has ${found}`, file);
  }
  return { dims, data: bytes.subarray(headerLength) };
}

function hex(b: Uint8Array): string {
  return '0x' + Array.from(b, (v) => v.toString(16).padStart(2, '0')).join('');
}
