// The train step's mask inputs for the current step.

import type { TrainStepLayout } from '../../compiler/step';
import type { ParamInfo } from '../../compiler/model';
import type { HostTensor } from '../backend';
import { tensorOf } from '../tensors';
import type { Pruning } from './pruning';

export function pruneFeeds(layout: TrainStepLayout, pruning: Pruning | undefined, infos: readonly ParamInfo[]): Record<string, HostTensor> {
  const feeds: Record<string, HostTensor> = {};
  if (!pruning) return feeds;
  for (const { param, mask, keep, backward, frozen } of layout.prune) {
    const m = pruning.masksOf(param);
    const shape = infos[param]?.shape ?? [];
    if (!m) throw new Error(`pruneFeeds: no mask for parameter ${infos[param]?.name}`);
    feeds[mask] = tensorOf(m.mask, shape);
    feeds[keep] = tensorOf(m.keep, shape);
    if (backward) feeds[backward] = tensorOf(pruning.backwardMaskOf?.(param) ?? m.mask, shape);
    const w0 = frozen ? pruning.frozenWeightOf?.(param) : undefined;
    if (frozen && w0) feeds[frozen] = tensorOf(w0, shape);
  }
  return feeds;
}
