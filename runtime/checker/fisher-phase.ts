// fwsvd (catalog A58) weighs its SVD by the Fisher information of the model on the training data,
// estimated on the batches before `from`: with `from` at the start of training there are none,
// and the importances of a random initialization would mean nothing. An error at `from` (or at
// the method when `from` is not written, since it then defaults to 0).

import { insertAttribute } from './blocks';
import { isDuration, isTechnique } from '../catalog';
import { CODES } from '../language';
import { report, type Ctx } from './context';
import type { Parts } from './crossblock';

export function checkFisherPhase(ctx: Ctx, parts: Parts): void {
  const block = parts.blocks.get('lowrank');
  const method = block?.attrs['method'];
  if (!block || !isTechnique(method) || method.name !== 'fwsvd') return;
  const from = block.attrs['from'];
  const written = block.written.get('from');
  // Not written: `from` defaults to the start of training. Written but not a duration: another diagnostic says so.
  const value = isDuration(from) ? from.value : written ? undefined : 0;
  if (value === undefined || value > 0) return;
  const message = 'fwsvd weighs the SVD by the Fisher information of the trained model, estimated on the batches before `from`: start it after some training, e.g. from = 1ep';
  if (written) report(ctx, CODES.phaseOrder, 'error', written.value.span, message, { fixes: [{ title: 'Set from = 1ep', edits: [{ span: written.value.span, newText: '1ep' }], preferred: true }] });
  else report(ctx, CODES.phaseOrder, 'error', block.written.get('method')?.value.span ?? block.node.keyword.span, message, { fixes: [{ title: 'Add from = 1ep', edits: [insertAttribute(ctx, block.node, 'from = 1ep')], preferred: true }] });
}
