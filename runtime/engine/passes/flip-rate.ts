// The mask flip rate (catalog A46, D05): at every mask update after the first, the share of
// mask entries that switched, r_t = ‖m_t − m_{t−1}‖₁ / D over the pruned layers (and per layer);
// an epoch reports the mean over its updates, 0 when none changed the mask.

import type { ParamInfo } from '../../compiler/model';
import type { Pruning } from '../compress';

export interface FlipRate {
  /** Called after the masks were (possibly) recomputed at a step. */
  record(): void;
  /** `flip_rate` and `flip_rate/<layer>` for the epoch just ended; resets the epoch's updates. */
  epoch(): Record<string, number>;
}

export function createFlipRate(pruning: Pruning, infos: readonly ParamInfo[]): FlipRate {
  const targets = pruning.plan.targets;
  let previous: (Float32Array | undefined)[] | undefined;
  let updates: { overall: number; layers: Map<string, [number, number]> }[] = [];
  const current = () => targets.map((p) => (pruning.structure ? pruning.structure(p) : pruning.masksOf(p)?.mask)?.slice());
  return {
    record() {
      const now = current();
      if (now.every((m) => m === undefined)) {
        previous = undefined;
        return;
      }
      if (previous) {
        let flipped = 0;
        let total = 0;
        const layers = new Map<string, [number, number]>();
        now.forEach((m, k) => {
          const before = previous?.[k];
          if (!m || !before) return;
          let f = 0;
          for (let i = 0; i < m.length; i++) if ((m[i] ?? 0) !== (before[i] ?? 0)) f++;
          flipped += f;
          total += m.length;
          const layer = infos[targets[k] ?? 0]?.layer ?? '';
          const [lf, lt] = layers.get(layer) ?? [0, 0];
          layers.set(layer, [lf + f, lt + m.length]);
        });
        if (total > 0) updates.push({ overall: flipped / total, layers });
      }
      previous = now;
    },
    epoch() {
      const out: Record<string, number> = { flip_rate: mean(updates.map((u) => u.overall)) };
      const names = new Set(targets.map((p) => infos[p]?.layer ?? ''));
      for (const layer of names) out[`flip_rate/${layer}`] = mean(updates.map((u) => { const [f, t] = u.layers.get(layer) ?? [0, 0]; return t === 0 ? 0 : f / t; }));
      updates = [];
      return out;
    },
  };
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}
