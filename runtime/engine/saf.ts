// SAF's per-example logits on the host (catalog A05, official AngusDujw/SAF): a buffer
// Z[N, window + 1, C]; at epoch e the batch's current logits are stored in slot e mod (window + 1),
// and the reference fed to the step is slot (e − window) mod (window + 1), written `window` epochs
// earlier for the same examples. The KL term is on (gate 1) for epochs e > start once e ≥ window,
// so a reference slot is never read before it was written. The graph side is compiler/optim/saf.ts.

import { isDuration, num, type TechniqueUse } from '../catalog';
import { SAF_INPUTS } from '../compiler/optim';
import type { HostTensor } from './backend';
import { scalar, tensorOf } from './tensors';

export interface Saf {
  readonly weight: number;
  readonly temperature: number;
  readonly window: number;
  /** First epoch (0-based) whose steps have the KL term. */
  readonly firstEpoch: number;
  /** The reference logits and gate for a batch at epoch `epoch`. */
  feeds(indices: Uint32Array, epoch: number): Record<string, HostTensor>;
  /** Stores the batch's logits (size × classes) for epoch `epoch`. */
  record(indices: Uint32Array, epoch: number, logits: Float32Array): void;
  /** The stored logits of example `i` at epoch `epoch` (tests). */
  stored(i: number, epoch: number): Float32Array;
}

export function createSaf(use: TechniqueUse, examples: number, classes: number, stepsPerEpoch: number): Saf {
  const weight = num(use.args['weight']) ?? 0.3;
  const temperature = num(use.args['temperature']) ?? 5;
  const window = Math.max(1, Math.round(num(use.args['window']) ?? 2));
  const startAttr = use.args['start'];
  const start = isDuration(startAttr) ? (startAttr.unit === 'ep' ? startAttr.value : startAttr.value / Math.max(1, stepsPerEpoch)) : 5;
  const slots = window + 1;
  const z = new Float32Array(examples * slots * classes);
  const at = (i: number, epoch: number) => (i * slots + (((epoch % slots) + slots) % slots)) * classes;
  const firstEpoch = Math.max(Math.floor(start) + 1, window);
  return {
    weight,
    temperature,
    window,
    firstEpoch,
    feeds(indices, epoch) {
      const on = epoch >= firstEpoch;
      const ref = new Float32Array(indices.length * classes);
      if (on) indices.forEach((i, r) => ref.set(z.subarray(at(i, epoch - window), at(i, epoch - window) + classes), r * classes));
      return { [SAF_INPUTS.reference]: tensorOf(ref, [indices.length, classes]), [SAF_INPUTS.gate]: scalar(on ? 1 : 0) };
    },
    record(indices, epoch, logits) {
      indices.forEach((i, r) => z.set(logits.subarray(r * classes, (r + 1) * classes), at(i, epoch)));
    },
    stored(i, epoch) {
      return z.slice(at(i, epoch), at(i, epoch) + classes);
    },
  };
}
