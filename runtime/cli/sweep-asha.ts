// Asynchronous successive halving (ASHA, Li et al. 2020), as a stopping rule over epochs: the
// rungs are at min_epochs·η^k completed epochs (below the trial's last epoch), and a trial that
// reaches a rung continues only when its metric is among the best ⌊n/η⌋ (at least one) of the n
// trials that have reached that rung so far, itself included. Decisions are taken as results
// arrive, never waiting for a rung to fill: the first trial at a rung always continues, a later
// one is compared with those before it. Ties continue.
//
// The rung table is files in the sweep's folder (`rungs/<epochs>/<trial-id>.json`, each written
// whole and renamed into place), so trials in separate processes, or on a cluster's nodes sharing
// the folder, decide against the same table without talking to each other; a resumed sweep keeps
// the values recorded before.

import * as fs from 'node:fs';
import * as path from 'node:path';

export interface AshaSettings {
  readonly minEpochs: number;
  readonly reduction: number;
  readonly metric: string;
  readonly goal: 'max' | 'min';
}

/** The rungs, in completed epochs, for a trial of `epochs` epochs: min·η^k below `epochs`, rounded to whole epochs. */
export function ashaRungs(minEpochs: number, reduction: number, epochs: number): number[] {
  const out: number[] = [];
  for (let k = 0; ; k++) {
    const r = Math.round(minEpochs * reduction ** k);
    if (!Number.isFinite(r) || r >= epochs) return out;
    if (out[out.length - 1] !== r) out.push(r);
    if (out.length > 64) return out;
  }
}

/**
 * Whether a trial with `value` at a rung continues, given the values `others` recorded there
 * before it (its own not included). Non-finite values never continue.
 */
export function ashaContinues(value: number, others: readonly number[], goal: 'max' | 'min', reduction: number): boolean {
  if (!Number.isFinite(value)) return false;
  const n = others.length + 1;
  const keep = Math.max(1, Math.floor(n / reduction));
  const better = others.filter((v) => Number.isFinite(v) && (goal === 'max' ? v > value : v < value)).length;
  return better < keep;
}

/** One trial's entry at a rung. */
export interface RungEntry {
  readonly trial: string;
  readonly value: number;
  readonly continued: boolean;
}

/** The rung table of a sweep in `dir` (the sweep's `rungs/` folder). */
export class RungBoard {
  constructor(readonly dir: string) {}

  /** The entries at `rung` (completed epochs), skipping unreadable files (one being renamed into place). */
  read(rung: number): RungEntry[] {
    const at = path.join(this.dir, String(rung));
    let names: string[];
    try {
      names = fs.readdirSync(at).filter((n) => n.endsWith('.json'));
    } catch {
      return [];
    }
    const out: RungEntry[] = [];
    for (const n of names.sort()) {
      try {
        const e = JSON.parse(fs.readFileSync(path.join(at, n), 'utf8')) as RungEntry;
        if (typeof e.trial === 'string' && (typeof e.value === 'number' || e.value === null)) out.push({ trial: e.trial, value: e.value ?? Number.NaN, continued: e.continued === true });
      } catch {
        // a torn or foreign file is no entry
      }
    }
    return out;
  }

  /**
   * Records `trial`'s value at `rung` and says whether it continues, against the entries of the
   * other trials there (an earlier entry of the same trial, from an interrupted attempt, is replaced).
   */
  decide(rung: number, trial: string, value: number, settings: AshaSettings): boolean {
    const others = this.read(rung).filter((e) => e.trial !== trial).map((e) => e.value);
    const continued = ashaContinues(value, others, settings.goal, settings.reduction);
    const at = path.join(this.dir, String(rung));
    fs.mkdirSync(at, { recursive: true });
    const file = path.join(at, `${trial}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify({ trial, value: Number.isFinite(value) ? value : null, continued })}\n`);
    fs.renameSync(tmp, file);
    return continued;
  }

  /** Forgets every rung (`--rerun all`). */
  clear(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
