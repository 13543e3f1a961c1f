// What a pass hands to the export and the compression report after training (see
// engine/compress/export.ts and engine/compression-report.ts). The fields are disjoint: one pass
// owns each, and the run merges them.

import type { Lowrank, PtqPlan, PtqResult } from '../compress';

export interface ExportContribution {
  /** lowrank: the projections' ranks, for the factored export. */
  readonly lowrank?: Lowrank;
  /** pruning: the pruned weights (not factored, their zeros kept) and the N:M pattern. */
  readonly pruned?: { readonly targets: readonly number[]; readonly pattern?: { readonly n: number; readonly m: number } };
  /** qat or ptq: the quantization plan and how the final weights are quantized. */
  readonly quantize?: { readonly plan: PtqPlan; readonly apply: (weights: readonly Float32Array[]) => PtqResult; readonly detail?: () => string | undefined };
}

export function mergeContributions(parts: readonly (ExportContribution | undefined)[]): ExportContribution {
  const out: { -readonly [K in keyof ExportContribution]: ExportContribution[K] } = {};
  for (const p of parts) {
    if (!p) continue;
    if (p.lowrank) out.lowrank = p.lowrank;
    if (p.pruned) out.pruned = p.pruned;
    // NOTE: qat's learned quantization takes precedence over a plain ptq plan (it comes first).
    if (p.quantize && !out.quantize) out.quantize = p.quantize;
  }
  return out;
}
