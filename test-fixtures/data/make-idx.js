// Writes the tiny IDX fixtures of runtime/engine/data/test/idx.test.ts. Run from the repository
// root with `node test-fixtures/data/make-idx.js`; the output is committed, so tests never run it.
// Image i (of 5, 3 rows × 4 columns) has pixel (r, c) = (40·i + 10·r + c) mod 256; labels are 3 1 4 1 5.
// The 4-D file holds 5 colour images of 3 channels × 2 × 2: pixel (k, r, c) of image i = 50·i + 10·k + 2·r + c.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const dir = path.join('test-fixtures', 'data');
const count = 5, rows = 3, cols = 4;

function idx(type, dims, data) {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = type;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

const pixels = [];
for (let i = 0; i < count; i++) for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) pixels.push((40 * i + 10 * r + c) % 256);
const images = idx(0x08, [count, rows, cols], pixels);
const labels = idx(0x08, [count], [3, 1, 4, 1, 5]);

const colour = [];
for (let i = 0; i < count; i++) for (let k = 0; k < 3; k++) for (let r = 0; r < 2; r++) for (let c = 0; c < 2; c++) colour.push(50 * i + 10 * k + 2 * r + c);

const files = {
  'rgb-images-idx4-ubyte': idx(0x08, [count, 3, 2, 2], colour),
  'rgb-images-idx4-ubyte.gz': zlib.gzipSync(idx(0x08, [count, 3, 2, 2], colour), { level: 9 }),
  // Two dimensions (count × pixels): neither images nor labels.
  'flat-images-idx2-ubyte': idx(0x08, [count, 12], pixels),
  // A 4-D file with an empty channel dimension.
  'empty-channels-idx4-ubyte': idx(0x08, [count, 0, 2, 2], []),
  'tiny-images-idx3-ubyte': images,
  'tiny-labels-idx1-ubyte': labels,
  'tiny-images-idx3-ubyte.gz': zlib.gzipSync(images, { level: 9 }),
  'tiny-labels-idx1-ubyte.gz': zlib.gzipSync(labels, { level: 9 }),
  // Four labels for five images: a count mismatch.
  'four-labels-idx1-ubyte': idx(0x08, [4], [0, 1, 2, 3]),
  // Not IDX at all (a ZIP signature).
  'not-idx.bin': Buffer.from('PK\x03\x04 not an idx file', 'latin1'),
  // float32 elements, which the loader does not read.
  'float-images-idx3-ubyte': idx(0x0d, [1, 1, 1], [0, 0, 0, 0]),
  // A gzip stream cut short.
  'truncated-labels-idx1-ubyte.gz': zlib.gzipSync(labels, { level: 9 }).subarray(0, 20),
  // The header promises 5×3×4 bytes, the file has 10.
  'short-images-idx3-ubyte': images.subarray(0, 16 + 10),
};
for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), bytes);
