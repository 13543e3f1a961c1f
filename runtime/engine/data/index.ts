// The data pipeline of the runtime: loading a recipe's data source (bundled digits, synthetic
// generators, CSV, IDX and NumPy files, folders of PNG/JPEG images) into memory, the seeded
// train/validation split, per-feature or per-channel standardization, per-epoch batches and the
// image augmentations, plus the seeded PRNG every random choice of a run uses.
// Knows the catalog's data entries, node:fs/node:zlib and the image decoders (pngjs, jpeg-js);
// knows nothing about graphs, onnxruntime, LSP or vscode. Never throws for problems in the
// user's data: it returns DataError.

export type { Dataset, DataError } from './types';
export { isDataError, describeDataError, featureSize, targetSize } from './types';
export { loadDataset, type LoadOptions } from './load';
export { bundledAssetsDir } from './digits';
export { splitDataset, trainCount, type SplitOptions } from './split';
export { fitStandardizer, standardizerFor, type Standardizer, type StandardizeMethod, type StandardizeOptions } from './standardize';
export { dataOptions, type DataOptions } from './options';
export { augmentBatch, type Augmentation, type AugmentInput } from './augment';
export { batches, batchCount, oneHot, type Batch, type BatchOptions } from './batches';
export { createRng, permutation, type Rng, type StreamPart } from './prng';
