// The sweep's terminal view, the same for every engine (local pool, Slurm): on a terminal, one
// live line per running trial (its epoch and metric) under an overall bar, redrawn in place on
// stderr; elsewhere (a pipe, a log file, CI) one line on stdout per trial as it ends.

import { printable } from '../language';
import type { Io } from './main';

export interface TrialView {
  readonly index: number;
  readonly id: string;
  readonly status: string;
  readonly epoch?: number;
  readonly epochs?: number;
  readonly value?: number;
  readonly message?: string;
}

export class SweepProgress {
  private readonly running = new Map<number, TrialView>();
  private drawn = 0;
  private ended = 0;

  constructor(
    private readonly io: Io,
    private readonly total: number,
    private readonly metric: string,
    private readonly tty: boolean = process.stderr.isTTY === true,
  ) {}

  /** A trial is training (or has just completed an epoch). */
  progress(v: TrialView): void {
    this.running.set(v.index, v);
    this.draw();
  }

  /** A trial ended: its line is printed for good. */
  end(v: TrialView): void {
    this.running.delete(v.index);
    this.ended++;
    this.clear();
    this.io.out(`[${this.ended}/${this.total}] ${endLine(v, this.metric)}\n`);
    this.draw();
  }

  /** Removes the live lines (before the final table). */
  close(): void {
    this.clear();
  }

  /** The live region's text: one line per running trial, then the bar. */
  render(): string {
    const lines = [...this.running.values()].sort((a, b) => a.index - b.index).map((v) => `  trial ${v.index + 1} ${v.id} ${v.epoch !== undefined && v.epochs ? `epoch ${v.epoch}/${v.epochs}` : 'starting'}${v.value !== undefined ? ` ${this.metric} ${fmt(v.value)}` : ''}`);
    const width = 24;
    const filled = this.total === 0 ? width : Math.round((this.ended / this.total) * width);
    lines.push(`  [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${this.ended}/${this.total} trials, ${this.running.size} running`);
    return lines.join('\n');
  }

  private draw(): void {
    if (!this.tty) return;
    this.clear();
    const text = this.render();
    this.io.err(`${text}\n`);
    this.drawn = text.split('\n').length;
  }

  private clear(): void {
    if (!this.tty || this.drawn === 0) return;
    this.io.err(`\x1b[${this.drawn}A\x1b[J`);
    this.drawn = 0;
  }
}

/** `trial 3 0a1b2c3d4e5f stopped early (rung 1) val_accuracy = 0.9100`. */
export function endLine(v: TrialView, metric: string): string {
  const stoppedEarly = v.status === 'stopped';
  return `trial ${v.index + 1} ${v.id} ${stoppedEarly ? printable(v.message ?? 'stopped early') : v.status}${v.value !== undefined ? ` ${metric} = ${fmt(v.value)}` : ''}${!stoppedEarly && v.message ? `: ${printable(v.message)}` : ''}`;
}

export function fmt(v: number | undefined): string {
  return v === undefined ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(4);
}
