// Rules of the prune block's `art` schedule and the hypersparse regularizer (catalog A50, issue 15):
// ART prunes by one global magnitude threshold, so it takes no N:M pattern, and the regularizer's κ
// is meant to be the sparsity ART prunes to.

import { isList, isTechnique, num, type Ratio } from '../catalog';
import { CODES } from '../language';
import type { BlockResult } from './blocks';
import { report, type Ctx } from './context';

export function checkArt(ctx: Ctx, prune: BlockResult, pattern: Ratio | undefined, train: BlockResult | undefined): void {
  const schedule = prune.attrs['schedule'];
  if (!isTechnique(schedule) || schedule.name !== 'art') return;
  const at = prune.written.get('schedule')?.value.span ?? prune.node.keyword.span;
  if (pattern) {
    report(ctx, CODES.outOfRange, 'error', prune.written.get('pattern')?.value.span ?? at, `art prunes by one global magnitude threshold and takes no N:M pattern; give a sparsity instead`);
    return;
  }
  const method = prune.attrs['method'];
  if (isTechnique(method) && method.name !== 'magnitude') report(ctx, CODES.outOfRange, 'error', prune.written.get('method')?.value.span ?? at, `art prunes by magnitude; method ${method.name} does not apply`);
  const regularizers = train?.attrs['regularizers'];
  const hs = isList(regularizers) ? regularizers.find((r) => isTechnique(r) && r.name === 'hypersparse') : undefined;
  const kappa = isTechnique(hs) ? num(hs.args['kappa']) : undefined;
  const sparsity = num(prune.attrs['sparsity']) ?? 0.5;
  if (kappa !== undefined && Math.abs(kappa - sparsity) > 1e-9) {
    report(ctx, CODES.unusualValue, 'warning', at, `hypersparse regularizes toward κ = ${kappa}, but art prunes to sparsity ${sparsity}; set them equal`);
  }
}
