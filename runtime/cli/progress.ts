// The terminal view of a run: a live progress bar (cli-progress) with loss and accuracy, warnings
// as they come, and a final table of metrics with the run folder.

import { SingleBar } from 'cli-progress';
import { adapterLabel, type Metrics, type RunEvent } from '../engine';
import { printable } from '../language';
import type { Io } from './main';

export function progressSink(io: Io): (e: RunEvent) => void {
  const tty = process.stderr.isTTY === true;
  let bar: SingleBar | undefined;
  let total = 0;
  let epochLine = '';
  return (e) => {
    switch (e.type) {
      case 'started': {
        const r = e.run;
        io.out(`training ${printable(r.recipe)}: ${r.epochs} epochs × ${r.stepsPerEpoch} steps, ${r.trainExamples} train / ${r.valExamples} validation examples, backend ${r.backend}${r.adapter ? ` on ${adapterLabel(r.adapter)}` : ''} (${r.threads} thread${r.threads > 1 ? 's' : ''})\n`);
        total = r.epochs * r.stepsPerEpoch;
        if (tty) {
          bar = new SingleBar({ format: ' {bar} {percentage}% | epoch {epoch} | step {value}/{total} | loss {loss} | acc {acc} | {eta_formatted} left', hideCursor: true, stream: process.stderr, clearOnComplete: true }, undefined);
          bar.start(total, 0, { epoch: 1, loss: '—', acc: '—' });
        }
        return;
      }
      case 'step':
        bar?.update(e.step, { epoch: e.epoch + 1, loss: fmt(e.metrics['loss']), acc: pct(e.metrics['accuracy']) });
        return;
      case 'epoch':
        epochLine = `epoch ${e.epoch + 1}: ${line(e.metrics)}`;
        if (!tty) io.out(`${epochLine}\n`);
        return;
      case 'warning':
        writeAbove(bar, io, `warning: ${printable(e.message)}\n`);
        return;
      case 'phase':
        writeAbove(bar, io, `phase: ${e.phase} ${printable(e.detail)}\n`);
        return;
      case 'finished':
        bar?.update(total);
        bar?.stop();
        io.out(`\n${table(e.metrics)}\nfinished in ${e.seconds.toFixed(1)} s (${e.steps} steps)\n`);
        return;
      case 'failed':
        bar?.stop();
        if (epochLine) io.out(`last ${epochLine}\n`);
        io.err(`run ${e.reason === 'cancelled' ? 'stopped' : 'failed'}: ${printable(e.message)}\n`);
        return;
    }
  };
}

function writeAbove(bar: SingleBar | undefined, io: Io, text: string): void {
  if (bar) process.stderr.write(`\r\x1b[2K${text}`);
  else io.err(text);
}

const LABELS: Readonly<Record<string, string>> = {
  loss: 'train loss',
  accuracy: 'train accuracy',
  val_loss: 'validation loss',
  val_accuracy: 'validation accuracy',
  lr: 'learning rate',
  weight_norm: 'weight norm',
  sparsity: 'sparsity',
};

/** A two-column table of the final metrics. */
export function table(m: Metrics): string {
  const rows = Object.entries(m).map(([k, v]) => [LABELS[k] ?? k, k.includes('accuracy') || k === 'sparsity' ? pct(v) : fmt(v)] as const);
  const w = Math.max(6, ...rows.map(([k]) => k.length));
  return [`${'metric'.padEnd(w)}  value`, `${'-'.repeat(w)}  ${'-'.repeat(10)}`, ...rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`)].join('\n');
}

function line(m: Metrics): string {
  return Object.entries(m)
    .filter(([k]) => k !== 'weight_norm' && k !== 'sparsity')
    .map(([k, v]) => `${k} ${k.includes('accuracy') ? pct(v) : fmt(v)}`)
    .join(', ');
}

function fmt(v: number | undefined): string {
  if (v === undefined) return '—';
  // Counts (bytes, parameters, ranks, steps) read as counts.
  if (Number.isInteger(v) && Math.abs(v) >= 1) return String(v);
  return Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(2) : v.toFixed(4);
}

function pct(v: number | undefined): string {
  return v === undefined ? '—' : `${(100 * v).toFixed(2)}%`;
}
