// A synthetic run's events for the report's tests: loss and lr per step, loss, val_loss and
// val_accuracy per epoch, a pruning phase half way, a spike or a NaN where asked.

import type { RunEvent } from '../../engine';

export function syntheticRun(steps: number, opts: { spikeAt?: number; nanAt?: number; spe?: number } = {}): RunEvent[] {
  const spe = opts.spe ?? 100;
  const events: RunEvent[] = [{ type: 'started', time: 1000, run: { id: 'r1', recipe: 'moons', backend: 'wasm', threads: 1, epochs: Math.ceil(steps / spe), stepsPerEpoch: spe, trainExamples: 10, valExamples: 2, seed: 3, hyper: {} } as unknown as Extract<RunEvent, { type: 'started' }>['run'] }];
  for (let s = 1; s <= steps; s++) {
    const loss = s === opts.spikeAt ? 9 : s === opts.nanAt ? Number.NaN : 1 / Math.sqrt(s) + 0.01 * Math.sin(s);
    events.push({ type: 'step', time: 1000 + 2 * s, epoch: Math.floor((s - 1) / spe), step: s, metrics: { loss, lr: 0.1 * (1 - s / (steps + 1)) } });
    if (s % spe === 0) events.push({ type: 'epoch', time: 1000 + 2 * s + 1, epoch: s / spe - 1, step: s, metrics: { loss: 1 / Math.sqrt(s), val_loss: 1.1 / Math.sqrt(s), val_accuracy: 1 - 1 / s } });
    if (s === Math.floor(steps / 2)) events.push({ type: 'phase', time: 1000 + 2 * s, epoch: 0, step: s, phase: 'pruning', detail: '50%' });
  }
  events.push({ type: 'finished', time: 1000 + 2 * steps + 5, metrics: { val_accuracy: 0.9 }, seconds: 12, steps });
  return events;
}
