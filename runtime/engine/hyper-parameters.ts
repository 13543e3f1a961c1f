// The few hyper-parameters that tell runs of one recipe apart in a run table: the optimizer (with
// its arguments), the schedule, batch size, epochs, and what the compression blocks do. Read from
// the checked recipe (every default filled), rendered as the language writes them but keeping only
// the arguments people tune (a full optimizer with its defaults is a line long).

import { isDuration, isTechnique, num, showValue, type PlanValue } from '../catalog';
import type { CheckedRecipe } from '../checker';

export function keyHyperParameters(recipe: CheckedRecipe, run: { readonly epochs: number; readonly batch: number }): Record<string, string> {
  const train = recipe.blocks['train']?.attrs ?? {};
  const out: Record<string, string> = {};
  const optimizer = train['optimizer'];
  if (optimizer !== undefined) out['optimizer'] = brief(optimizer);
  const schedule = train['schedule'];
  if (isTechnique(schedule) && schedule.name !== 'constant') out['schedule'] = brief(schedule);
  out['batch'] = String(run.batch);
  out['epochs'] = String(run.epochs);
  const prune = recipe.blocks['prune']?.attrs;
  if (prune) {
    const pattern = prune['pattern'];
    const sparsity = num(prune['sparsity']);
    out['prune'] = [prune['method'] !== undefined ? brief(prune['method']) : 'prune', pattern !== undefined ? showValue(pattern) : sparsity !== undefined ? `${Math.round(sparsity * 100)}%` : ''].filter((s) => s !== '').join(' ');
  }
  const lowrank = recipe.blocks['lowrank']?.attrs['method'];
  if (lowrank !== undefined) out['lowrank'] = brief(lowrank);
  const quantize = recipe.blocks['quantize']?.attrs;
  if (quantize) out['quantize'] = `${quantize['method'] !== undefined ? brief(quantize['method']) : 'quantize'} ${num(quantize['bits']) ?? 8}-bit`;
  return out;
}

/** The arguments kept by `brief`; nested techniques (a wrapper's base) are always kept. */
const KEY_ARGS = new Set(['lr', 'rho', 'momentum', 'weight_decay', 'energy', 'rank', 'estimator', 'warmup',
  // A15 bloop, A16 gr, A20 deepzero.
  'aux', 'lambda', 'gamma', 'epsilon', 'mu',
]);

/** `sam(rho: 0.05, base: adamp(lr: 0.001))`: a technique with its key arguments only. */
function brief(v: PlanValue): string {
  if (!isTechnique(v)) return showValue(v);
  // Zero-valued extras (weight_decay: 0, warmup: 0ep) are the defaults nobody tunes away from.
  const args = Object.entries(v.args).filter(([k, a]) => isTechnique(a) || (KEY_ARGS.has(k) && !isZero(a)));
  return args.length === 0 ? v.name : `${v.name}(${args.map(([k, a]) => `${k}: ${brief(a)}`).join(', ')})`;
}

function isZero(v: PlanValue): boolean {
  return v === 0 || (isDuration(v) && v.value === 0);
}
