// The data pipeline of the runtime: loading a recipe's data source (bundled digits, synthetic
// generators, CSV and IDX files) into memory, the seeded train/validation split, per-feature
// standardization and per-epoch batches, plus the seeded PRNG every random choice of a run uses.
// Knows the catalog's data entries and node:fs/node:zlib; knows nothing about graphs,
// onnxruntime, LSP or vscode. Never throws for problems in the user's data: it returns DataError.

export type { Dataset, DataError } from './types';
export { isDataError, featureSize, targetSize } from './types';
export { loadDataset, type LoadOptions } from './load';
export { bundledAssetsDir } from './digits';
export { splitDataset, trainCount, type SplitOptions } from './split';
export { fitStandardizer, type Standardizer, type StandardizeMethod } from './standardize';
export { batches, batchCount, oneHot, type Batch, type BatchOptions } from './batches';
export { createRng, permutation, type Rng, type StreamPart } from './prng';
