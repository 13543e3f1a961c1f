// Rules of the prune block's `jackpot` method (catalog A48, issue 15): it searches masks in the
// weights the model starts with, so the search starts at the first step, with a sparsity and no
// N:M pattern, and is meant for pretrained (imported) weights.

import { isDuration, isTechnique, type Ratio } from '../catalog';
import { CODES } from '../language';
import type { BlockResult } from './blocks';
import { report, type Ctx } from './context';

export function checkJackpot(ctx: Ctx, prune: BlockResult, pattern: Ratio | undefined, model: BlockResult | undefined): void {
  const method = prune.attrs['method'];
  if (!isTechnique(method) || method.name !== 'jackpot') return;
  const at = prune.written.get('method')?.value.span ?? prune.node.keyword.span;
  if (pattern) report(ctx, CODES.outOfRange, 'error', prune.written.get('pattern')?.value.span ?? at, 'jackpot searches an unstructured mask at a sparsity; it takes no N:M pattern');
  const from = prune.written.get('from');
  const fromValue = prune.attrs['from'];
  if (from && isDuration(fromValue) && fromValue.value !== 0) {
    report(ctx, CODES.outOfRange, 'error', from.value.span, 'jackpot freezes the weights the model starts with: the search starts at from = 0ep');
  }
  const label = model?.label;
  if (model && !(isTechnique(label) && label.name === 'onnx')) {
    report(ctx, CODES.unusualValue, 'warning', at, 'jackpot searches masks in pretrained weights; this model starts from its initialization (import one with model onnx("…"))');
  }
}
