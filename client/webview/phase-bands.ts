// Phase markers as labelled bands per run: the steps from a phase's first event to its last
// (`pruning 10–20 ep`), a quantization-aware phase from its start to the end of the run, and a
// phase with a single event (one-shot pruning, quantization at export) as a line. Pure.

import type { PhaseMarker } from './series';

export interface PhaseBand {
  readonly phase: string;
  /** Steps; `to === from` is drawn as a line. */
  readonly from: number;
  readonly to: number;
  /** `pruning 10–20 ep`, `quantization 5 ep–end`. */
  readonly label: string;
  /** The events' details, one a line (the band's tooltip and readout). */
  readonly details: readonly string[];
}

/** Phases that keep acting from their first event to the end of training (QAT's fake quantization). */
const UNTIL_END = new Set(['quantization']);

export function phaseBands(markers: readonly PhaseMarker[], stepsPerEpoch: number | undefined, lastStep: number): PhaseBand[] {
  const byPhase = new Map<string, PhaseMarker[]>();
  for (const m of markers) byPhase.set(m.phase, [...(byPhase.get(m.phase) ?? []), m]);
  const bands: PhaseBand[] = [];
  for (const [phase, ms] of byPhase) {
    const from = Math.min(...ms.map((m) => m.step));
    const last = Math.max(...ms.map((m) => m.step));
    const untilEnd = UNTIL_END.has(phase) && ms.length === 1 && from < lastStep;
    const to = untilEnd ? lastStep : last;
    const at = (step: number) => (stepsPerEpoch ? `${trim(step / stepsPerEpoch)}` : `step ${step}`);
    const unit = stepsPerEpoch ? ' ep' : '';
    const label = to === from ? `${phase} ${at(from)}${unit}` : untilEnd ? `${phase} ${at(from)}${unit}–end` : `${phase} ${at(from)}–${at(to)}${unit}`;
    bands.push({ phase, from, to, label, details: ms.map((m) => m.detail) });
  }
  return bands.sort((a, b) => a.from - b.from);
}

function trim(epochs: number): string {
  return Number.isInteger(epochs) ? String(epochs) : epochs.toFixed(1);
}
