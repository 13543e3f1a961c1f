// obc (catalog A56) prunes once after training, from calibration Hessians: the prune block's
// `schedule`, `from` and `to` do not apply (a warning on each, with a fix that removes it), and
// obc with `bits` quantizes the layers itself, so a quantize block would quantize them twice (an
// error at the quantize block's method).

import { isTechnique } from '../catalog';
import { CODES } from '../language';
import { report, type Ctx } from './context';
import type { Parts } from './crossblock';

export function checkObc(ctx: Ctx, parts: Parts): void {
  const prune = parts.blocks.get('prune');
  const method = prune?.attrs['method'];
  if (!prune || !isTechnique(method) || method.name !== 'obc') return;
  for (const name of ['schedule', 'from', 'to']) {
    const a = prune.written.get(name);
    if (a) report(ctx, CODES.unusualValue, 'warning', a.value.span, `${name} does not apply to obc, which prunes once, after the last step`, { fixes: [{ title: `Remove ${name}`, edits: [{ span: ctx.src.lines(a.span), newText: '' }], preferred: true }] });
  }
  const quantize = parts.blocks.get('quantize');
  if (quantize && method.args['bits'] !== undefined) {
    report(ctx, CODES.unusualValue, 'error', quantize.written.get('method')?.value.span ?? quantize.node.keyword.span, 'obc(bits) already quantizes the pruned layers after training: remove the quantize block, or `bits` from obc');
  }
}
