// The compression view's rows: per compressed weight of each selected run, its shape, sparsity,
// N:M conformance, bits, rank and bytes before → after (the run summary's `compression`, made by
// runtime/engine/compression-report.ts), plus a total row per run. Pure (no DOM).

import type { RunSummary } from '../protocol';

export const COMPRESSION_COLUMNS = ['run', 'layer', 'shape', 'sparsity', 'N:M', 'bits', 'rank', 'bytes'] as const;
export type CompressionColumn = (typeof COMPRESSION_COLUMNS)[number];

export function compressionRows(runs: readonly RunSummary[]): Record<CompressionColumn, string>[] {
  return runs.flatMap((r) => {
    const layers = r.compression ?? [];
    if (layers.length === 0) return [];
    const rows = layers.map((l): Record<CompressionColumn, string> => ({
      run: r.id,
      layer: l.layer,
      shape: l.shape.join('×'),
      sparsity: percent(l.sparsity),
      'N:M': l.pattern !== undefined && l.nmConformance !== undefined ? `${l.pattern} ${percent(l.nmConformance)} of groups` : '',
      bits: String(l.bits),
      rank: l.rank === undefined ? '' : String(l.rank),
      bytes: `${bytes(l.bytesBefore)} → ${bytes(l.bytesAfter)}`,
    }));
    const before = layers.reduce((s, l) => s + l.bytesBefore, 0);
    const after = layers.reduce((s, l) => s + l.bytesAfter, 0);
    const elements = layers.reduce((s, l) => s + l.elements, 0);
    const nonzero = layers.reduce((s, l) => s + l.nonzero, 0);
    rows.push({ run: r.id, layer: 'all', shape: `${elements} weights`, sparsity: percent(elements === 0 ? 0 : 1 - nonzero / elements), 'N:M': '', bits: '', rank: '', bytes: `${bytes(before)} → ${bytes(after)} (${(before / Math.max(1, after)).toFixed(1)}× smaller)` });
    return rows;
  });
}

function percent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}
