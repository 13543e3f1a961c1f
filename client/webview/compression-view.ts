// The compression view's data: per compressed weight of each ticked run, its shape, sparsity,
// N:M conformance, bits, rank and bytes before → after (the run summary's `compression`, made by
// runtime/engine/compression-report.ts, which counts only what was applied), a total row per run,
// the per-layer chart's bars, and notes for the phases that did not run ("not pruned: the run
// stopped at epoch 1, pruning starts at epoch 10"). Pure (no DOM).

import type { RunSummary } from '../protocol';

export const COMPRESSION_COLUMNS = ['run', 'layer', 'shape', 'sparsity', 'N:M', 'bits', 'rank', 'bytes'] as const;
export type CompressionColumn = (typeof COMPRESSION_COLUMNS)[number];

export function compressionRows(runs: readonly RunSummary[], labels?: ReadonlyMap<string, string>): Record<CompressionColumn, string>[] {
  return runs.flatMap((r) => {
    const layers = r.compression ?? [];
    if (layers.length === 0) return [];
    const run = labels?.get(r.id) ?? r.id;
    const rows = layers.map((l): Record<CompressionColumn, string> => ({
      run,
      layer: l.layer,
      shape: l.shape.join('×'),
      sparsity: percent(l.sparsity),
      'N:M': l.pattern !== undefined && l.nmConformance !== undefined ? `${l.pattern} ${percent(l.nmConformance)} of groups` : '',
      bits: String(l.bits),
      rank: l.rank === undefined ? '' : String(l.rank),
      bytes: `${bytes(l.bytesBefore)} → ${bytes(l.bytesAfter)}`,
    }));
    const t = totals(r);
    rows.push({ run, layer: 'all', shape: `${t.elements} weights`, sparsity: percent(t.sparsity), 'N:M': '', bits: '', rank: '', bytes: `${bytes(t.before)} → ${bytes(t.after)} (${sizeRatio(t.before, t.after)})` });
    return rows;
  });
}

export function totals(r: RunSummary): { elements: number; sparsity: number; before: number; after: number } {
  const layers = r.compression ?? [];
  const before = layers.reduce((s, l) => s + l.bytesBefore, 0);
  const after = layers.reduce((s, l) => s + l.bytesAfter, 0);
  const elements = layers.reduce((s, l) => s + l.elements, 0);
  const nonzero = layers.reduce((s, l) => s + l.nonzero, 0);
  return { elements, sparsity: elements === 0 ? 0 : 1 - nonzero / elements, before, after };
}

/** `3.1× smaller`, or `same size` when nothing shrank. */
export function sizeRatio(before: number, after: number): string {
  if (after >= before) return 'same size';
  return `${(before / Math.max(1, after)).toFixed(1)}× smaller`;
}

/** One bar group of the per-layer chart: the layer's measured values (fractions in [0, 1]) and sizes. */
export interface LayerBar {
  readonly run: string;
  readonly layer: string;
  readonly sparsity: number;
  readonly conformance?: number;
  readonly bits: number;
  readonly rank?: number;
  readonly bytesBefore: number;
  readonly bytesAfter: number;
}

export function layerBars(runs: readonly RunSummary[]): LayerBar[] {
  return runs.flatMap((r) => (r.compression ?? []).map((l) => ({
    run: r.id,
    layer: l.layer,
    sparsity: l.sparsity,
    ...(l.nmConformance !== undefined ? { conformance: l.nmConformance } : {}),
    bits: l.bits,
    ...(l.rank !== undefined ? { rank: l.rank } : {}),
    bytesBefore: l.bytesBefore,
    bytesAfter: l.bytesAfter,
  })));
}

/** What the view knows of a run besides its summary: the phases and warnings of its events, when loaded. */
export interface RunPhaseFacts {
  readonly phases: ReadonlySet<string>;
  readonly warnings: readonly string[];
  readonly stepsPerEpoch?: number;
  readonly lastStep?: number;
}

/**
 * Notes on what a run's compression did not do: a run with a prune block whose pruning never
 * started (no `pruning` phase in its events, or no zero in any weight) says so, with why when the
 * engine's warning gives the step pruning starts at.
 */
export function compressionNotes(r: RunSummary, facts: RunPhaseFacts | undefined): string[] {
  const notes: string[] = [];
  const prunes = r.hyper?.['prune'] !== undefined;
  const layers = r.compression ?? [];
  const anyZero = layers.some((l) => l.nonzero < l.elements);
  const pruned = facts ? facts.phases.has('pruning') : anyZero;
  if (prunes && !pruned) {
    const spe = facts?.stepsPerEpoch;
    const warning = facts?.warnings.map((w) => /pruning starts at step (\d+), after the last step \((\d+)\)/.exec(w)).find((m) => m !== null);
    const startStep = warning ? Number(warning[1]) : undefined;
    const endStep = warning ? Number(warning[2]) : facts?.lastStep ?? r.steps;
    const at = (step: number) => (spe ? `epoch ${epochs(step / spe)}` : `step ${step}`);
    const why = [endStep !== undefined ? `the run stopped at ${at(endStep)}` : '', startStep !== undefined ? `pruning starts at ${at(startStep)}` : ''].filter((s) => s !== '').join(', ');
    notes.push(`not pruned${why ? `: ${why}` : ''}; sizes count the weights dense`);
  }
  return notes;
}

function epochs(e: number): string {
  return Number.isInteger(e) ? String(e) : e.toFixed(1);
}

function percent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}
