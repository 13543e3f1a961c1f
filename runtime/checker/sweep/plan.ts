// A sweep made ready to expand: the block read, every path resolved against the recipe, and the
// trials with their recipe texts. The checker validates trials through this, and `minima sweep`
// runs them through it, so the two cannot disagree about what a trial is.

import type { Catalog } from '../../catalog';
import { CODES, diagnostic, type Diagnostic, type FileNode } from '../../language';
import { Source } from '../source';
import { expandTrials, trialText, type Resolved, type Trial, type TrialText } from './expand';
import { resolvePath } from './paths';
import { readSweep, type SweepSpec } from './spec';

export interface SweepPlan {
  readonly spec: SweepSpec;
  readonly resolved: readonly Resolved[];
  readonly trials: readonly Trial[];
  /** The recipe text of one trial (or of a partial assignment, for single-value checks). */
  readonly textOf: (assignments: Trial['assignments']) => TrialText;
}

/** The recipe's sweep, planned; `plan` is absent when there is no sweep or a path or value is wrong (then `problems` say why). */
export function planSweep(tree: FileNode, text: string, catalog: Catalog): { readonly plan?: SweepPlan; readonly problems: readonly Diagnostic[] } {
  const { spec, problems } = readSweep(tree, text);
  if (!spec) return { problems };
  const src = new Source(text);
  const resolved: Resolved[] = [];
  for (const path of spec.paths) {
    const target = resolvePath(tree, src, catalog, path.segments);
    if (target.kind === 'problem') problems.push(diagnostic(CODES.sweepPath, 'error', target.span, target.message));
    else resolved.push({ path, target });
  }
  if (problems.some((p) => p.severity === 'error') || resolved.length === 0) return { problems };
  const sweepBlocks = tree.blocks.filter((b) => b.keyword.name === 'sweep').map((b) => b.span);
  const textOf = (assignments: Trial['assignments']) => trialText(src, sweepBlocks, resolved, assignments);
  return { plan: { spec, resolved, trials: expandTrials(spec, resolved), textOf }, problems };
}
