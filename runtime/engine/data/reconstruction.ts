// `data { target = input }` (autoencoders, catalog A33): the targets are the standardized inputs
// themselves, flattened, as a regression with one target per feature.

import type { PlanValue } from '../../catalog';
import { featureSize, type Dataset } from './types';

export function withTarget(target: PlanValue | undefined, ds: Dataset): Dataset {
  if (target !== 'input') return ds;
  const { classes: _classes, classNames: _names, ...rest } = ds;
  return { ...rest, task: 'regression', targets: featureSize(ds), y: ds.x };
}
