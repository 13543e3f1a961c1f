// What the prune block asks of obc (catalog A56), and the layers it runs on: the prune block's
// layers (its plan filled the default) that are dense; conv kernels are left as they are, with a
// warning, since their inputs would need unfolding.

import { isRatio, isTechnique, num } from '../../catalog';
import type { CheckedRecipe } from '../../checker';
import type { ParamInfo } from '../../compiler/model';
import type { ExportQuantization } from '../../compiler/step';
import { obcNm, obcPrune, obcQuant, type ObcLayerResult, type ObcPlan } from './obc';
import type { PtqPlan, PtqResult } from './ptq';
import { compressTargets } from './targets';

export function obcPlanOf(recipe: CheckedRecipe, infos: readonly ParamInfo[]): (ObcPlan & { readonly warnings: readonly string[] }) | undefined {
  const block = recipe.blocks['prune'];
  const method = block?.attrs['method'];
  if (!block || !isTechnique(method) || method.name !== 'obc') return undefined;
  const a = block.attrs;
  // The prune block's targets, by name or glob on an imported model, with the same default rule (targets.ts).
  const chosen = compressTargets(recipe, 'prune', infos);
  const pattern = isRatio(a['pattern']) ? a['pattern'] : undefined;
  const bits = num(method.args['bits']);
  const warnings = chosen.filter((i) => infos[i]?.shape.length !== 2).map((i) => `obc: ${infos[i]?.layer} is left as it is: obc compresses dense layers only (a convolution's inputs would need unfolding)`);
  return {
    targets: chosen.filter((i) => infos[i]?.shape.length === 2),
    sparsity: pattern ? 1 - pattern.n / pattern.m : (num(a['sparsity']) ?? 0.5),
    ...(pattern ? { pattern: { n: pattern.n, m: pattern.m } } : {}),
    ...(bits !== undefined ? { bits } : {}),
    symmetric: method.args['symmetric'] !== false,
    batches: Math.max(1, num(method.args['batches']) ?? 16),
    warnings,
  };
}

/** OBC of one dense weight [rows, cols] from its Hessian: pruning (N:M or unstructured), then quantization of what is kept. */
export function compressLayer(plan: ObcPlan, w: ArrayLike<number>, h: Float64Array, rows: number, cols: number): { pruned?: ObcLayerResult; quantized?: ObcLayerResult; weights: Float32Array } {
  const pruned = plan.pattern ? obcNm(w, h, rows, cols, plan.pattern.n, plan.pattern.m) : plan.sparsity > 0 ? obcPrune(w, h, rows, cols, plan.sparsity) : undefined;
  const kept = pruned?.weights ?? w;
  if (plan.bits === undefined) return { ...(pruned ? { pruned } : {}), weights: Float32Array.from(kept) };
  const quantized = obcQuant(kept, h, rows, cols, plan.bits, plan.symmetric);
  // On the grid exactly as DequantizeLinear computes it from the stored float32 scale: fround(fround(s)·(q − z)).
  const grid = quantized.grid!;
  const weights = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const s = grid.scale[r]!;
    for (let c = 0; c < cols; c++) weights[r * cols + c] = Math.fround(s) * Math.round((quantized.weights[r * cols + c] ?? 0) / s);
  }
  return { ...(pruned ? { pruned } : {}), quantized, weights };
}

/** The export of obc's quantized weights: uint8 codes with per-row scales and zero points (weights already on the grid; `symmetric` names the grid, the storage is always uint8). */
export function obcExport(plan: ObcPlan, grids: ReadonlyMap<number, { readonly scale: Float64Array; readonly zero: Float64Array }>): { plan: PtqPlan; apply: (weights: readonly Float32Array[]) => PtqResult } {
  const bits = plan.bits ?? 8;
  const ptq: PtqPlan = { targets: plan.targets, spec: { bits, symmetric: plan.symmetric, perChannel: true, range: { kind: 'minmax' } } };
  return {
    plan: ptq,
    apply: (params) => {
      const exported = new Map<number, ExportQuantization>();
      let total = 0;
      params.forEach((p, i) => {
        const g = grids.get(i);
        if (!g) return void (total += p.length * 32);
        exported.set(i, { scale: Float32Array.from(g.scale, (s) => Math.fround(s)), zeroPoint: Int32Array.from(g.zero), perChannel: true, signed: false });
        total += p.length * bits + g.scale.length * 64;
      });
      return { weights: [...params], exported, bytes: Math.ceil(total / 8) };
    },
  };
}
