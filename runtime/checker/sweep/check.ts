// The checker's view of a sweep: the block's paths and values, then every trial checked as a
// recipe of its own. Each value is first checked alone (a list item, a range's two ends), and
// what it breaks is shown on that value; then each whole trial is checked, and a problem only a
// combination causes is shown on the sweep's label, naming the trial. A problem the recipe has
// without the sweep is reported once, where it is, not once per trial.

import { CODES, type Diagnostic, type FileNode, type Span } from '../../language';
import { errorsSince, mark, report, type Ctx } from '../context';
import { lookup } from '../techniques';
import { checkValue } from '../values';
import { UNKNOWN_LAYERS } from '../scope';
import { mapBack, singleValues, type Assignment } from './expand';
import { planSweep, type SweepPlan } from './plan';

/** The most whole trials checked statically; a larger sweep's further trials are checked when it runs. */
export const MAX_CHECKED_TRIALS = 256;

/** Checks the sweep block of `tree`, if any; `checkText` parses and checks one trial's recipe text. */
export function checkSweep(ctx: Ctx, tree: FileNode, checkText: (text: string) => readonly Diagnostic[]): void {
  const block = tree.blocks.find((b) => b.keyword.name === 'sweep');
  if (!block) return;
  const before = mark(ctx);
  for (const item of block.items) {
    if (item.kind !== 'attribute' || !item.name.name.includes('.') || item.value.kind !== 'call') continue;
    if (item.value.callee.name === 'choice') lookup(ctx, item.value, ['distribution'], item.name.name);
    else checkValue(ctx, item.value, { name: item.name.name, type: { kind: 'technique', of: ['distribution'] }, doc: '' }, UNKNOWN_LAYERS);
  }
  const { plan, problems } = planSweep(tree, ctx.src.text, ctx.catalog);
  for (const p of problems) report(ctx, p.code, p.severity, p.span, p.message, p.tags ? { tags: p.tags } : {});
  // Trials drawn from a wrong distribution are not worth checking: its own error says what to fix.
  if (!plan || ctx.src.text === '' || errorsSince(ctx, before)) return;

  const key = (d: { code: string; span: Span; message: string }) => `${d.code}|${d.span.start}|${d.span.end}|${d.message}`;
  const seen = new Set(ctx.diagnostics.map(key));
  /** The trial's own problems, mapped back; those the recipe has anyway are dropped. */
  const problemsOf = (assignments: readonly Assignment[]) => {
    const t = plan.textOf(assignments);
    const out: { d: Diagnostic; span: Span; local: boolean; raw: string }[] = [];
    for (const d of checkText(t.text)) {
      if (d.severity === 'info') continue;
      const back = mapBack(t, d.span);
      const raw = `${d.code}|${d.message}`;
      if (seen.has(key({ ...d, span: back.span }))) continue;
      out.push({ d, span: back.span, local: back.source !== undefined, raw });
    }
    return out;
  };
  const emit = (d: Diagnostic, span: Span, message: string) => {
    const k = key({ code: d.code, span, message });
    if (seen.has(k)) return;
    seen.add(k);
    report(ctx, d.code, d.severity, span, message);
  };
  // Random sweeps: each value alone, for what it breaks at its own place (a range's ends stand for
  // its draws, and a choice's items may not all be drawn). A grid's values all occur in its trials.
  const flagged = new Set<string>();
  for (const r of plan.spec.strategy === 'random' ? plan.resolved : []) {
    for (const a of singleValues(r)) {
      for (const p of problemsOf([a])) {
        if (!p.local) continue;
        emit(p.d, p.span, p.d.message);
        flagged.add(`${p.d.code}|${p.span.start}`);
        if (r.path.values.kind !== 'list') flagged.add(`${p.d.code}|${r.path.values.span.start}`);
      }
    }
  }
  // Whole trials. A problem elsewhere is put on the one value that causes it alone, else on the label.
  const alone = new Map<Assignment, Set<string>>();
  const causes = (a: Assignment) => {
    let raws = alone.get(a);
    if (!raws) alone.set(a, (raws = new Set(problemsOf([a]).map((p) => p.raw))));
    return raws;
  };
  const label = block.label?.span ?? block.keyword.span;
  for (const trial of plan.trials.slice(0, MAX_CHECKED_TRIALS)) {
    const values = trial.assignments.map((a) => `${a.path} = ${a.text}`).join(', ');
    for (const p of problemsOf(trial.assignments)) {
      if (p.local) {
        // A drawn value outside its range was reported at the range's end already.
        if (flagged.has(`${p.d.code}|${p.span.start}`)) continue;
        // Wrong whatever the other values are: say it plainly; wrong only with them: name the trial.
        const own = trial.assignments.find((a) => a.source.start === p.span.start && a.source.end === p.span.end);
        emit(p.d, p.span, own && causes(own).has(p.raw) ? p.d.message : `trial ${trial.index + 1} (${values}): ${p.d.message}`);
        continue;
      }
      const cause = trial.assignments.find((a) => causes(a).has(p.raw));
      if (cause) emit(p.d, cause.source, `with ${cause.path} = ${cause.text}: ${p.d.message}`);
      else emit(p.d, label, `trial ${trial.index + 1} (${values}): ${p.d.message}`);
    }
  }
  checkEarlyStop(ctx, tree, plan);
  if (plan.trials.length > MAX_CHECKED_TRIALS) {
    report(ctx, CODES.sweepValue, 'warning', label, `the sweep has ${plan.trials.length} trials; the first ${MAX_CHECKED_TRIALS} are checked here, the rest when they run`);
  }
}

/**
 * `early_stop` that can never stop a trial: its first rung (after min_epochs epochs) is not before
 * the end of training in any trial, so every trial runs all its epochs. A warning on the value.
 */
function checkEarlyStop(ctx: Ctx, tree: FileNode, plan: SweepPlan): void {
  const es = plan.spec.earlyStop;
  const item = plan.spec.block.items.find((i) => i.kind === 'attribute' && i.name.name === 'early_stop');
  if (!es || item?.kind !== 'attribute') return;
  const swept = plan.spec.paths.find((p) => p.path === 'train.epochs');
  let longest: number | undefined;
  if (swept) {
    const v = swept.values;
    longest = v.kind === 'list' ? Math.max(...v.items.map((i) => Number(i.text))) : v.high.value;
  } else {
    const train = tree.blocks.find((b) => b.keyword.name === 'train');
    const epochs = train?.items.find((i) => i.kind === 'attribute' && i.name.name === 'epochs');
    longest = epochs?.kind === 'attribute' && epochs.value.kind === 'number' ? epochs.value.value : undefined;
  }
  if (longest === undefined || !Number.isFinite(longest) || es.minEpochs < longest) return;
  const where = swept ? `the longest trial trains ${longest} epochs` : `train.epochs = ${longest}`;
  report(ctx, CODES.sweepValue, 'warning', item.value.span, `early_stop never stops a trial: its first rung, after min_epochs = ${es.minEpochs} epochs, is not before the end of training (${where}); lower min_epochs`);
}
