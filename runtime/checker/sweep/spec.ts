// A `sweep` block read into a value: its strategy, the paths it sets and the values each path
// takes, and the settings (trials, metric, goal, parallel, early_stop). Reading is lexical and
// never throws; what does not fit a strategy is returned as a diagnostic on the value. The
// settings themselves are typed by the block spec in blocks.ts, like any other attributes.

import { CODES, diagnostic, pathSegments, type BlockNode, type Diagnostic, type FileNode, type Ident, type Span, type Value } from '../../language';

export type SweepStrategy = 'grid' | 'random';

/** The values one path takes: the written values to pick from, or a numeric range to draw from. */
export type SweepValues =
  | { readonly kind: 'list'; readonly items: readonly WrittenValue[] }
  | { readonly kind: 'uniform' | 'log_uniform'; readonly span: Span; readonly low: WrittenNumber; readonly high: WrittenNumber };

export interface WrittenValue {
  readonly text: string;
  readonly span: Span;
}

export interface WrittenNumber extends WrittenValue {
  readonly value: number;
}

export interface SweepPath {
  /** `train.optimizer.lr`. */
  readonly path: string;
  readonly name: Ident;
  readonly segments: readonly Ident[];
  readonly values: SweepValues;
}

export interface SweepSpec {
  readonly strategy: SweepStrategy;
  readonly block: BlockNode;
  readonly paths: readonly SweepPath[];
  /** Random sweeps: how many trials to draw. */
  readonly trials?: number;
  readonly metric: string;
  readonly goal: 'max' | 'min';
  readonly parallel?: number;
  readonly earlyStop?: { readonly minEpochs: number; readonly reduction: number };
  /** The recipe's seed, which seeds the random draws. */
  readonly seed: number;
}

/** The first `sweep` block of a recipe, read; undefined when there is none or its strategy is unknown. */
export function readSweep(tree: FileNode, text: string): { spec?: SweepSpec; problems: Diagnostic[] } {
  const block = tree.blocks.find((b) => b.keyword.name === 'sweep');
  const problems: Diagnostic[] = [];
  const label = block?.label;
  const strategy = label?.kind === 'ident' && (label.name === 'grid' || label.name === 'random') ? label.name : undefined;
  if (!block || !strategy) return { problems };
  const paths: SweepPath[] = [];
  const settings = new Map<string, Value>();
  for (const item of block.items) {
    if (item.kind !== 'attribute') continue;
    if (!item.name.name.includes('.')) {
      settings.set(item.name.name, item.value);
      continue;
    }
    const values = readValues(strategy, item.value, text, problems);
    if (values) paths.push({ path: item.name.name, name: item.name, segments: pathSegments(item.name), values });
  }
  if (!block.items.some((i) => i.kind === 'attribute' && i.name.name.includes('.'))) problems.push(diagnostic(CODES.sweepValue, 'error', block.keyword.span, `the sweep sets no path: add one such as train.optimizer.lr = ${strategy === 'grid' ? '[0.03, 0.1]' : 'log_uniform(1e-4, 1e-1)'}`));
  const num = (name: string) => {
    const v = settings.get(name);
    return v?.kind === 'number' ? v.value : undefined;
  };
  const ident = (name: string) => {
    const v = settings.get(name);
    return v?.kind === 'ident' ? v.name : undefined;
  };
  const trials = num('trials');
  if (strategy === 'random' && trials === undefined && !settings.has('trials')) {
    problems.push(diagnostic(CODES.missingValue, 'error', block.keyword.span, 'a random sweep needs trials: trials = 16'));
  }
  if (strategy === 'grid' && settings.has('trials')) {
    problems.push(diagnostic(CODES.sweepValue, 'warning', settings.get('trials')!.span, 'a grid sweep runs one trial per combination; trials is ignored', { tags: ['unnecessary'] }));
  }
  const es = settings.get('early_stop');
  const esArg = (name: string, fallback: number) => {
    const a = es?.kind === 'call' ? es.args.find((x) => x.name?.name === name) : undefined;
    return a?.value.kind === 'number' ? a.value.value : fallback;
  };
  const parallel = num('parallel');
  const spec: SweepSpec = {
    strategy,
    block,
    paths,
    ...(trials !== undefined ? { trials } : {}),
    metric: ident('metric') ?? 'val_accuracy',
    goal: ident('goal') === 'min' ? 'min' : 'max',
    ...(parallel !== undefined ? { parallel } : {}),
    ...(es ? { earlyStop: { minEpochs: esArg('min_epochs', 1), reduction: esArg('reduction', 3) } } : {}),
    seed: recipeSeed(tree),
  };
  return { spec, problems };
}

/** How many trials the sweep has: the grid's product, or the random sweep's `trials`. */
export function trialCount(spec: SweepSpec): number {
  if (spec.strategy === 'random') return spec.trials ?? 0;
  return spec.paths.reduce((n, p) => n * (p.values.kind === 'list' ? p.values.items.length : 1), 1);
}

function readValues(strategy: SweepStrategy, value: Value, text: string, problems: Diagnostic[]): SweepValues | undefined {
  const written = (v: Value): WrittenValue => ({ text: text.slice(v.span.start, v.span.end), span: v.span });
  const list = (items: readonly Value[], at: Span): SweepValues | undefined => {
    if (items.length === 0) {
      problems.push(diagnostic(CODES.sweepValue, 'error', at, 'the list of values to try is empty'));
      return undefined;
    }
    if (items.some((i) => i.kind === 'missing' || i.kind === 'error')) return undefined;
    return { kind: 'list', items: items.map(written) };
  };
  if (value.kind === 'missing' || value.kind === 'error') return undefined;
  if (value.kind === 'list') return list(value.items, value.span);
  const callee = value.kind === 'call' ? value.callee.name : undefined;
  if (value.kind === 'call' && (callee === 'choice' || callee === 'uniform' || callee === 'log_uniform')) {
    if (strategy === 'grid') {
      problems.push(diagnostic(CODES.sweepValue, 'error', value.callee.span, `${callee} draws values for \`sweep random\`; a grid takes a list of values such as [0.03, 0.1]`));
      return undefined;
    }
    if (callee === 'choice') {
      const arg = value.args[0]?.value;
      if (value.args.length !== 1 || arg?.kind !== 'list') {
        problems.push(diagnostic(CODES.sweepValue, 'error', value.span, 'choice takes one list of values: choice([0.02, 0.05, 0.1])'));
        return undefined;
      }
      return list(arg.items, arg.span);
    }
    // The arguments' types and order are checked against the catalog entry; read the numbers.
    const [low, high] = value.args.map((a) => a.value);
    if (low?.kind !== 'number' || high?.kind !== 'number') return undefined;
    return { kind: callee, span: value.span, low: { ...written(low), value: low.value }, high: { ...written(high), value: high.value } };
  }
  const example = strategy === 'grid' ? `[${written(value).text}, …]` : `choice([${written(value).text}, …])`;
  problems.push(diagnostic(CODES.sweepValue, 'error', value.span, `a swept path takes ${strategy === 'grid' ? 'a list of values' : 'a distribution or a list'}, such as ${example}`));
  return undefined;
}

/** `recipe { seed = N }`, read lexically (the block check reports a bad seed); 0 when absent. */
function recipeSeed(tree: FileNode): number {
  const recipe = tree.blocks.find((b) => b.keyword.name === 'recipe');
  const seed = recipe?.items.find((i) => i.kind === 'attribute' && i.name.name === 'seed');
  return seed?.value.kind === 'number' && Number.isInteger(seed.value.value) ? seed.value.value : 0;
}
