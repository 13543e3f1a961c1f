// Rules of the N:M training methods that read the prune block and the model (issue 15):
// which pattern each method trains, the weight shapes it needs, and PGF's schedule.

import { isDuration, isTechnique, type Duration, type PlanValue, type Ratio } from '../catalog';
import { CODES, type Span } from '../language';
import type { BlockResult } from './blocks';
import { report, type Ctx } from './context';
import type { ModelResult } from './model';

/** Prune methods that learn N:M masks and so need a pattern (srste is checked by crossblock.ts itself). */
export const NM_METHODS: readonly string[] = ['transposable', 'pgf', 'bimask'];

/** The pattern a method is limited to, when it is. */
const ONLY_PATTERN: Readonly<Record<string, string>> = { transposable: '2:4' };

export interface NmContext {
  readonly model: ModelResult;
  readonly targets: readonly { name: string; at: Span }[];
  /** Training length and steps per epoch, when known. */
  readonly epochs?: number;
  readonly stepsPerEpoch?: number;
}

/** Checks a prune block whose method is one of NM_METHODS, once its pattern is known. */
export function checkNmMethod(ctx: Ctx, prune: BlockResult, method: string, args: Readonly<Record<string, PlanValue>>, pattern: Ratio, c: NmContext): void {
  const only = ONLY_PATTERN[method];
  const text = `${pattern.n}:${pattern.m}`;
  const methodAt = prune.written.get('method')?.value.span ?? prune.node.keyword.span;
  const at = prune.written.get('pattern')?.value.span ?? methodAt;
  if (only && text !== only) {
    report(ctx, CODES.outOfRange, 'error', at, `${method} trains ${only} masks only; this prune block asks for ${text}`);
    return;
  }
  if (method === 'transposable') {
    // Transposable 2:4 masks are chosen per 4×4 block: the output dimension must also be a multiple of 4.
    for (const { name, at: where } of c.targets) {
      const bad = c.model.layers?.find((p) => p.name === name)?.weights.find((w) => w.compressible && (w.shape[0] ?? 0) % 4 !== 0);
      if (bad) report(ctx, CODES.nmWidth, 'error', where, `${name}'s output width ${bad.shape[0]} is not a multiple of 4, so transposable 4×4 blocks do not fit`);
    }
    return;
  }
  if (method === 'bimask') {
    // The backward mask groups the output dimension, and the input gradient is rerouted in dense layers only.
    for (const { name, at: where } of c.targets) {
      const layer = c.model.layers?.find((p) => p.name === name);
      if (!layer) continue;
      if (layer.use.name !== 'dense' || layer.input.length !== 1) {
        report(ctx, CODES.outOfRange, 'error', where, `bimask runs on dense layers with a vector input; ${name} is ${layer.use.name === 'dense' ? 'a dense layer over an image' : `a ${layer.use.name} layer`}`);
        continue;
      }
      const norm = layer.use.args['norm'];
      if (isTechnique(norm) && (norm.name === 'weight' || norm.name === 'spectral')) {
        report(ctx, CODES.outOfRange, 'error', where, `bimask needs the layer's own weight; ${name} reparametrizes it (norm: ${norm.name})`);
        continue;
      }
      const bad = layer.weights.find((w) => w.compressible && (w.shape[0] ?? 0) % pattern.m !== 0);
      if (bad) report(ctx, CODES.nmWidth, 'error', where, `${name}'s output width ${bad.shape[0]} is not a multiple of ${pattern.m}, so the backward mask's ${text} groups do not fit`);
    }
    return;
  }
  // pgf: structure decay halves N from M/2 down to N, so M/N must be a power of two to end at N:M.
  const ratio = pattern.m / pattern.n;
  if (args['structure'] === true && Math.log2(ratio) !== Math.floor(Math.log2(ratio))) {
    report(ctx, CODES.outOfRange, 'error', at, `structure decay halves N down to the pattern, so M/N must be a power of two; ${text} is not reached`);
  }
  // The fine-tune must leave part of the window to the progressive phase (dense + fine-tune ≤ total).
  const fineTune = args['fine_tune'];
  const from = prune.attrs['from'];
  const to = prune.attrs['to'];
  const end: Duration | undefined = isDuration(to) ? to : c.epochs !== undefined ? { kind: 'duration', value: c.epochs, unit: 'ep' } : undefined;
  const steps = (d: Duration) => (d.unit === 'step' ? d.value : c.stepsPerEpoch !== undefined ? d.value * c.stepsPerEpoch : undefined);
  if (isDuration(fineTune) && end) {
    const [f, s, e] = [steps(fineTune), isDuration(from) ? steps(from) : 0, steps(end)];
    if (f !== undefined && s !== undefined && e !== undefined && f > e - s) {
      report(ctx, CODES.phaseOrder, 'error', methodAt, `fine_tune is longer than the prune window (from ${s} to ${e} steps): nothing is left for the progressive phase`);
    }
  }
}
