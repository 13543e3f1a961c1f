// Loading a recipe's data source (the checked `data` block's technique) into memory.

import type { TechniqueUse } from '../../catalog';
import { loadNpy, loadNpz } from './arrays';
import { loadBlobs } from './blobs';
import { loadCsv } from './csv';
import { bundledAssetsDir, loadDigits } from './digits';
import { loadIdx } from './idx';
import { loadImages } from './images';
import { loadMoons } from './moons';
import { loadRegression } from './regression';
import { loadSpirals } from './spirals';
import { dataError, type DataError, type Dataset } from './types';

export interface LoadOptions {
  /** The folder file paths are relative to: the recipe's folder. */
  readonly baseDir: string;
  /** The recipe's seed; generators draw from `createRng(seed, 'data', <source>)`. */
  readonly seed: number;
  /** Where the bundled datasets are; found next to the code when absent (see `bundledAssetsDir`). */
  readonly assetsDir?: string;
}

/** The examples of `source`, or a `DataError` saying what is wrong with the recipe's data. */
export function loadDataset(source: TechniqueUse, options: LoadOptions): Dataset | DataError {
  if (source.entryKind !== 'data') return dataError(`${source.name} is not a data source`);
  switch (source.name) {
    case 'digits': {
      const assets = options.assetsDir ?? bundledAssetsDir();
      if (assets === undefined) return dataError('the bundled digits data was not found next to the Minima runtime; reinstall Minima');
      return loadDigits(source, assets);
    }
    case 'moons':
      return loadMoons(source, options.seed);
    case 'spirals':
      return loadSpirals(source, options.seed);
    case 'blobs':
      return loadBlobs(source, options.seed);
    case 'regression':
      return loadRegression(source, options.seed);
    case 'csv':
      return loadCsv(source, options.baseDir);
    case 'idx':
      return loadIdx(source, options.baseDir);
    case 'npy':
      return loadNpy(source, options.baseDir);
    case 'npz':
      return loadNpz(source, options.baseDir);
    case 'images':
      return loadImages(source, options.baseDir);
    default:
      return dataError(`the runtime cannot load data source "${source.name}"`);
  }
}
