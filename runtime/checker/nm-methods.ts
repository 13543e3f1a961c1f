// Rules of the N:M training methods that read the prune block and the model (issue 15):
// which pattern each method trains, and the weight shapes it needs.

import type { Ratio } from '../catalog';
import { CODES, type Span } from '../language';
import type { BlockResult } from './blocks';
import { report, type Ctx } from './context';
import type { ModelResult } from './model';

/** Prune methods that learn N:M masks and so need a pattern (srste is checked by crossblock.ts itself). */
export const NM_METHODS: readonly string[] = ['transposable'];

/** The pattern a method is limited to, when it is. */
const ONLY_PATTERN: Readonly<Record<string, string>> = { transposable: '2:4' };

/** Checks a prune block whose method is one of NM_METHODS, once its pattern is known. */
export function checkNmMethod(ctx: Ctx, prune: BlockResult, method: string, pattern: Ratio, model: ModelResult, targets: readonly { name: string; at: Span }[]): void {
  const only = ONLY_PATTERN[method];
  const text = `${pattern.n}:${pattern.m}`;
  const at = prune.written.get('pattern')?.value.span ?? prune.written.get('method')?.value.span ?? prune.node.keyword.span;
  if (only && text !== only) {
    report(ctx, CODES.outOfRange, 'error', at, `${method} trains ${only} masks only; this prune block asks for ${text}`);
    return;
  }
  if (method !== 'transposable') return;
  // Transposable 2:4 masks are chosen per 4×4 block: the output dimension must also be a multiple of 4.
  for (const { name, at: where } of targets) {
    const bad = model.layers?.find((p) => p.name === name)?.weights.find((w) => w.compressible && (w.shape[0] ?? 0) % 4 !== 0);
    if (bad) report(ctx, CODES.nmWidth, 'error', where, `${name}'s output width ${bad.shape[0]} is not a multiple of 4, so transposable 4×4 blocks do not fit`);
  }
}
