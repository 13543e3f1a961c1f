// Muon (KellerJordan/Muon muon.py, `muon_update` + `MuonWithAuxAdam`): momentum by lerp, Nesterov
// look-ahead, Newton–Schulz orthogonalization of the [out, −1] view, scaled by √max(1, rows/cols),
// decoupled decay. Parameters with ndim < 2 go to the `aux` optimizer (AdamW by default), and so,
// with `hidden_only` (the default), do the weights of the model's first and last layers
// (ParamInfo.edge), as MuonWithAuxAdam keeps embeddings and the head on AdamW. The aux optimizer's
// own lr is scaled by the same schedule factor as Muon's: η_aux(t) = lr(t)·aux.lr/muon.lr.
// NOTE: muon.py scales by grad.size(-2)/grad.size(-1), which for a 4-D conv kernel is kh/kw; we
// use the rows/cols of the [out, −1] view that is orthogonalized, as the catalog rule states.

import type { ParamInfo } from '../model/types';
import { add, mul, reshape, sub } from '../ops';
import { boolHp, numberHp } from './hp';
import { newtonSchulz } from './newton-schulz';
import { rowViewShape } from './tensors';
import type { HyperParams } from './types';
import { withAux } from './with-aux';

export const muon = withAux({
  name: 'muon',
  takes: usesMuon,
  step: (w, grad, old, { lr, hp }) => {
    const beta = numberHp(hp, 'momentum');
    const buf = add(old, mul(sub(grad, old), 1 - beta));
    const u = boolHp(hp, 'nesterov') ? add(grad, mul(sub(buf, grad), beta)) : buf;
    const [rows, cols] = rowViewShape(w.shape);
    const ortho = mul(newtonSchulz(reshape(u, [rows, cols]), numberHp(hp, 'ns_steps')), Math.sqrt(Math.max(1, rows / cols)));
    const wd = numberHp(hp, 'weight_decay');
    const decayed = wd !== 0 ? mul(w, sub(1, mul(lr, wd))) : w;
    return { w: sub(decayed, mul(reshape(ortho, w.shape.map(Number)), lr)), buf };
  },
});

/** Muon takes ≥2-D weights, except the first and last layers' unless `hidden_only` is false. */
function usesMuon(info: ParamInfo, hp: HyperParams): boolean {
  return info.shape.length >= 2 && !(info.edge === true && hp['hidden_only'] !== false);
}
