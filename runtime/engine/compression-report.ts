// What compression did to each layer's weight, measured on the final weights: sparsity, N:M
// conformance, bits, low-rank rank, and the bytes it takes in the compressed storage model of the
// checker's estimates (runtime/checker/estimates.ts) — with the measured nonzeros and ranks in
// place of the recipe's targets. The run's `finished` event carries it; the results panel's
// compression view and the run summary show it.

import type { FactoredWeight } from '../compiler/compress/export-plan';
import { reductionOf, type ParamInfo } from '../compiler/model';
import { nmConformanceFor } from './compress/prune-masks';

export interface LayerCompression {
  readonly layer: string;
  readonly param: string;
  readonly shape: readonly number[];
  /** Elements of the dense weight. */
  readonly elements: number;
  readonly nonzero: number;
  readonly sparsity: number;
  /** `2:4` and the share of M-groups with at most N nonzeros, when the prune block has a pattern. */
  readonly pattern?: string;
  readonly nmConformance?: number;
  /** 32 unless the weight is quantized. */
  readonly bits: number;
  /** The rank kept by the lowrank block, when it decomposed this weight. */
  readonly rank?: number;
  readonly bytesBefore: number;
  readonly bytesAfter: number;
}

export interface CompressionInputs {
  readonly infos: readonly ParamInfo[];
  /** The final weights before quantization (pruned weights are exact zeros). */
  readonly weights: readonly ArrayLike<number>[];
  readonly pruned?: { readonly targets: readonly number[]; readonly pattern?: { readonly n: number; readonly m: number } };
  readonly quantized?: { readonly targets: readonly number[]; readonly bits: number; readonly perChannel: boolean };
  /** Rank kept per parameter index (the lowrank block's `Lowrank.ranks()`). */
  readonly ranks?: ReadonlyMap<number, number>;
  /**
   * Weights the export stored as two float32 factors (compress/export.ts), by parameter index:
   * their rank and factor elements replace the estimate's r·(out + in) and its bits.
   */
  readonly factored?: ReadonlyMap<number, { readonly rank: number; readonly elements: number }>;
}

/** One row per compressible weight, in model order; empty when nothing in the recipe compresses. */
export function compressionReport(inputs: CompressionInputs): LayerCompression[] {
  const { infos, weights, pruned, quantized, ranks, factored: exportedFactors } = inputs;
  if (!pruned && !quantized && (ranks?.size ?? 0) === 0) return [];
  return infos.flatMap((info, i): LayerCompression[] => {
    if (!info.compressible) return [];
    const w = weights[i] ?? [];
    const elements = w.length;
    let nonzero = 0;
    for (let k = 0; k < elements; k++) if (w[k] !== 0) nonzero++;
    // A target whose weight has no zero was not pruned (the run ended before pruning started): it
    // is stored, and counted, dense. Sizes count only what was applied.
    const isPruned = (pruned?.targets.includes(i) ?? false) && nonzero < elements;
    const pattern = isPruned ? pruned?.pattern : undefined;
    const exported = exportedFactors?.get(i);
    // An exported factorization stays float32 (the export does not quantize factors).
    const isQuantized = (quantized?.targets.includes(i) ?? false) && exported === undefined;
    const bits = isQuantized && quantized ? quantized.bits : 32;
    const rank = exported?.rank ?? ranks?.get(i);
    const out = info.shape[0] ?? 1;
    const reduction = reductionOf(info);
    // Storage model (estimates.ts): low-rank factors when smaller (as exported when known); pruned
    // values plus an index (N:M: ceil(log2 M) bits per kept value) or a 1-bit mask per weight; bits
    // per value; one fp32 scale per output channel (or per tensor) when quantized.
    const factored = exported?.elements ?? (rank !== undefined && rank * (out + reduction) < elements ? rank * (out + reduction) : undefined);
    const kept = factored ?? (isPruned ? nonzero : elements);
    const indexBits = factored !== undefined || !isPruned ? 0 : pattern ? kept * Math.ceil(Math.log2(pattern.m)) : elements;
    const scales = isQuantized && quantized ? (quantized.perChannel ? out : 1) * 4 : 0;
    return [{
      layer: info.layer,
      param: info.name,
      shape: info.shape,
      elements,
      nonzero,
      sparsity: elements === 0 ? 0 : 1 - nonzero / elements,
      ...(pattern ? { pattern: `${pattern.n}:${pattern.m}`, nmConformance: nmConformanceFor(w, info, pattern.n, pattern.m) } : {}),
      bits,
      ...(rank !== undefined ? { rank } : {}),
      bytesBefore: 4 * elements,
      bytesAfter: Math.ceil((kept * bits + indexBits) / 8) + scales,
    }];
  });
}

/** Rank and factor elements of each weight an export stored as two factors. */
export function exportedFactors(factored: ReadonlyMap<number, FactoredWeight> | undefined): Map<number, { rank: number; elements: number }> {
  return new Map([...(factored ?? [])].map(([i, f]) => [i, { rank: f.rank, elements: f.first.values.length + f.second.values.length }]));
}
