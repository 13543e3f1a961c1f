// The `data` block's settings that act on the examples (standardization, augmentations), read
// from the checked plan and checked against the data as loaded: the checker sees the examples'
// shape only for sources that state it (digits, images), so csv, idx and NumPy files are checked
// here, with the same messages.

import { isTechnique, num, type PlanValue } from '../../catalog';
import type { Augmentation } from './augment';
import type { StandardizeMethod, StandardizeOptions } from './standardize';
import { dataError, type DataError, type Dataset } from './types';

export interface DataOptions {
  readonly standardize: StandardizeOptions;
  /** Applied to training batches only, in this order. */
  readonly augment: readonly Augmentation[];
}

export function dataOptions(attrs: Readonly<Record<string, PlanValue>>, ds: Pick<Dataset, 'name' | 'inputShape'>): DataOptions | DataError {
  const method = standardizeMethod(attrs['standardize']);
  const mean = numbers(attrs['mean']);
  const std = numbers(attrs['std']);
  const augment: Augmentation[] = [];
  const uses = Array.isArray(attrs['augment']) ? (attrs['augment'] as readonly PlanValue[]).filter(isTechnique) : [];
  for (const use of uses) {
    if (use.name === 'crop') augment.push({ kind: 'crop', pad: num(use.args['pad']) ?? 4 });
    else if (use.name === 'flip') augment.push({ kind: 'flip', p: num(use.args['p']) ?? 0.5 });
    else return dataError(`the runtime cannot apply the augmentation "${use.name}"`);
  }
  const image = ds.inputShape.length === 3;
  const shown = `[${ds.inputShape.join(', ')}]`;
  const first = uses[0];
  if (first && !image) return dataError(`${first.name} augments images (channels × height × width), but ${ds.name} gives examples of shape ${shown}`);
  if (method !== 'channel' && (mean !== undefined || std !== undefined)) return dataError(`mean and std are per-channel statistics; they need standardize = channel (got ${method})`);
  if (method === 'channel') {
    if (!image) return dataError(`standardize = channel needs images (channels × height × width), but ${ds.name} gives examples of shape ${shown}; use zscore for tables`);
    const channels = ds.inputShape[0] ?? 1;
    for (const [name, values] of [['mean', mean], ['std', std]] as const) {
      if (values !== undefined && values.length !== channels) {
        return dataError(`${name} has ${values.length} value${values.length === 1 ? '' : 's'} but ${ds.name} gives images of ${channels} channel${channels === 1 ? '' : 's'}`);
      }
    }
    if (std?.some((s) => !(s > 0 && Number.isFinite(s)))) return dataError('every std must be a finite number > 0');
  }
  return { standardize: { method, ...(mean ? { mean } : {}), ...(std ? { std } : {}) }, augment };
}

function standardizeMethod(v: PlanValue | undefined): StandardizeMethod {
  return v === 'zscore' || v === 'minmax' || v === 'channel' ? v : 'none';
}

function numbers(v: PlanValue | undefined): number[] | undefined {
  return Array.isArray(v) ? (v as readonly PlanValue[]).filter((x): x is number => typeof x === 'number') : undefined;
}
