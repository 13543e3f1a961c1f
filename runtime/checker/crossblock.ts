// Rules that read more than one block: N:M pattern vs sparsity and layer widths, phase order
// (from < to ≤ epochs), sam_on vs normalization layers, muon vs hidden layers, QAT vs pruning,
// deepzero's loss evaluations vs the model's size. Each rule runs only on
// values that resolved cleanly, so one problem yields one diagnostic.

import { isDuration, isLayerRef, isList, isRatio, isTechnique, type DataShape, type Duration, type PlanValue, type Ratio } from '../catalog';
import { CODES, walk, type Fix, type Span, type Value } from '../language';
import { insertAttribute, type BlockResult } from './blocks';
import { report, type Ctx } from './context';
import { defaultCompressTargets, type ModelResult } from './model';
import { checkNmMethod, NM_METHODS } from './nm-methods';
import { checkArt } from './art';
import { checkJackpot } from './jackpot';
import { checkFisherPhase } from './fisher-phase';
import { checkObc } from './obc';

export interface Parts {
  readonly blocks: ReadonlyMap<string, BlockResult>;
  readonly dataShape?: DataShape;
  readonly model: ModelResult;
}

/** N:M patterns with a hardware or kernel speedup; others are legal but only save memory. */
export const FAST_PATTERNS: readonly string[] = ['1:2', '2:4', '1:4', '2:8', '4:8', '1:8'];

export function checkCrossBlock(ctx: Ctx, parts: Parts): void {
  checkPrune(ctx, parts);
  for (const name of ['prune', 'lowrank', 'quantize']) checkPhase(ctx, parts, name);
  checkQat(ctx, parts);
  checkSamOn(ctx, parts);
  checkMuon(ctx, parts);
  // A20.
  checkDeepZeroBudget(ctx, parts);
  checkFisherPhase(ctx, parts);
  checkObc(ctx, parts);
}

/** Optimizer steps per epoch, ceil(examples · split / batch), when the data source says how many examples it has. */
export function stepsPerEpoch(parts: Parts): number | undefined {
  const data = parts.blocks.get('data');
  const examples = parts.dataShape?.examples;
  const split = data?.attrs['split'];
  const batch = data?.attrs['batch'];
  if (examples === undefined || typeof split !== 'number' || typeof batch !== 'number') return undefined;
  return Math.max(1, Math.ceil((examples * split) / batch));
}

export function epochsOf(parts: Parts): number | undefined {
  const e = parts.blocks.get('train')?.attrs['epochs'];
  return typeof e === 'number' ? e : undefined;
}

/** The pattern in effect: the block's `pattern`, or a `pattern` argument of the method. */
export function patternOf(prune: BlockResult): Ratio | undefined {
  const p = prune.attrs['pattern'];
  if (isRatio(p)) return p;
  const m = prune.attrs['method'];
  return isTechnique(m) && isRatio(m.args['pattern']) ? m.args['pattern'] : undefined;
}

/** QAT starts in the last 10% of training unless `from` says otherwise. */
export function defaultQatFrom(epochs: number): Duration {
  return { kind: 'duration', value: Math.floor(epochs * 0.9), unit: 'ep' };
}

function checkPrune(ctx: Ctx, parts: Parts): void {
  const prune = parts.blocks.get('prune');
  if (!prune) return;
  const pattern = patternOf(prune);
  const method = prune.attrs['method'];
  const patternNode = prune.written.get('pattern')?.value;
  checkArt(ctx, prune, pattern, parts.blocks.get('train'));
  checkJackpot(ctx, prune, pattern, parts.blocks.get('model'));
  if (!pattern) {
    // SR-STE learns N:M masks; without a pattern there is nothing to learn.
    if (isTechnique(method) && (method.name === 'srste' || NM_METHODS.includes(method.name)) && !prune.written.has('pattern')) {
      const fix: Fix = { title: 'Add pattern = 2:4', edits: [insertAttribute(ctx, prune.node, 'pattern = 2:4')], preferred: true };
      report(ctx, CODES.missingValue, 'error', prune.written.get('method')?.value.span ?? prune.node.keyword.span, `${method.name} trains N:M masks and needs a pattern: pattern = 2:4`, { fixes: [fix] });
    }
    return;
  }
  const text = `${pattern.n}:${pattern.m}`;
  const implied = 1 - pattern.n / pattern.m;
  const sparsity = prune.attrs['sparsity'];
  const sparsityAttr = prune.written.get('sparsity');
  if (sparsityAttr && typeof sparsity === 'number' && Math.abs(sparsity - implied) > 1e-9) {
    const pct = `${round(implied * 100)}%`;
    report(ctx, CODES.nmSparsityMismatch, 'error', sparsityAttr.value.span, `sparsity ${sparsityAttr.value.kind === 'percent' ? sparsityAttr.value.text : String(sparsity)} does not match the ${text} pattern, which implies ${pct}`, {
      fixes: [
        { title: `Set sparsity to ${pct}`, edits: [{ span: sparsityAttr.value.span, newText: pct }], preferred: true },
        { title: 'Remove sparsity (the pattern sets it)', edits: [{ span: ctx.src.lines(sparsityAttr.span), newText: '' }] },
      ],
    });
  }
  if (!FAST_PATTERNS.includes(text) && patternNode) {
    report(ctx, CODES.unusualValue, 'warning', patternNode.span, `${text} has no sparse hardware speedup (fast patterns: ${FAST_PATTERNS.join(', ')}); it only saves memory`);
  }
  const plans = parts.model.layers;
  if (!plans) return;
  for (const { name, at } of targets(prune, parts, patternNode?.span ?? prune.node.keyword.span)) {
    const plan = plans.find((p) => p.name === name);
    const bad = plan?.weights.find((w) => w.compressible && w.reduction % pattern.m !== 0);
    if (bad) report(ctx, CODES.nmWidth, 'error', at, `${name}'s input width ${bad.reduction} is not a multiple of ${pattern.m}, so ${text} groups do not fit`);
  }
  if (isTechnique(method) && NM_METHODS.includes(method.name)) {
    const spe = stepsPerEpoch(parts);
    const epochs = epochsOf(parts);
    checkNmMethod(ctx, prune, method.name, method.args, pattern, { model: parts.model, targets: targets(prune, parts, patternNode?.span ?? prune.node.keyword.span), ...(epochs !== undefined ? { epochs } : {}), ...(spe !== undefined ? { stepsPerEpoch: spe } : {}) });
  }
}

/** The layers a compression block targets, each with the span to report at. */
function targets(block: BlockResult, parts: Parts, defaultAt: Span): { name: string; at: Span }[] {
  const list = block.attrs['layers'];
  const node = block.written.get('layers')?.value;
  if (isList(list) && node?.kind === 'list') {
    return list.flatMap((v, i) => (isLayerRef(v) ? [{ name: v.name, at: node.items[i]?.span ?? node.span }] : []));
  }
  if (block.written.has('layers')) return [];
  return defaultCompressTargets(parts.model.layers ?? []).map((l) => ({ name: l.name, at: defaultAt }));
}

function checkPhase(ctx: Ctx, parts: Parts, blockName: string): void {
  const block = parts.blocks.get(blockName);
  if (!block) return;
  const method = block.attrs['method'];
  if (blockName === 'quantize' && isTechnique(method) && method.name !== 'qat') {
    const from = block.written.get('from');
    if (from) report(ctx, CODES.unusualValue, 'warning', from.value.span, `from only applies to qat; ${method.name} runs after training`, { fixes: [{ title: 'Remove from', edits: [{ span: ctx.src.lines(from.span), newText: '' }] }] });
    return;
  }
  const spe = stepsPerEpoch(parts);
  const epochs = epochsOf(parts);
  const from = block.attrs['from'];
  const to = block.attrs['to'];
  const fromAt = block.written.get('from')?.value;
  const toAt = block.written.get('to')?.value;
  const end: Duration | undefined = epochs === undefined ? undefined : { kind: 'duration', value: epochs, unit: 'ep' };
  const show = (d: Duration) => `${round(d.value)}${d.unit}`;
  if (isDuration(from) && isDuration(to) && fromAt && toAt && (compare(from, to, spe) ?? -1) >= 0) {
    report(ctx, CODES.phaseOrder, 'error', toAt.span, `${blockName} ends (to = ${show(to)}) before it starts (from = ${show(from)}); from must be before to`);
    return;
  }
  if (end && isDuration(to) && toAt && (compare(to, end, spe) ?? -1) > 0) {
    report(ctx, CODES.phaseOrder, 'error', toAt.span, `to = ${show(to)} is after the end of training (epochs = ${epochs})`);
    return;
  }
  if (end && isDuration(from) && fromAt && !toAt && (compare(from, end, spe) ?? -1) >= 0) {
    report(ctx, CODES.phaseOrder, 'error', fromAt.span, `from = ${show(from)} is not before the end of training (epochs = ${epochs})`);
    return;
  }
  if (isDuration(to) && toAt && !fromAt && to.value === 0) {
    report(ctx, CODES.phaseOrder, 'error', toAt.span, `to = ${show(to)} leaves no time: the phase starts at the start of training`);
  }
}

function checkQat(ctx: Ctx, parts: Parts): void {
  const quantize = parts.blocks.get('quantize');
  const prune = parts.blocks.get('prune');
  const epochs = epochsOf(parts);
  const method = quantize?.attrs['method'];
  if (!quantize || !prune || epochs === undefined || !isTechnique(method) || method.name !== 'qat') return;
  const fromAttr = quantize.written.get('from');
  const from = fromAttr ? quantize.attrs['from'] : defaultQatFrom(epochs);
  const pruneTo: PlanValue | undefined = prune.written.has('to') ? prune.attrs['to'] : { kind: 'duration', value: epochs, unit: 'ep' };
  if (!isDuration(from) || !isDuration(pruneTo)) return;
  const c = compare(from, pruneTo, stepsPerEpoch(parts));
  if (c === undefined || c >= 0) return;
  const at = fromAttr?.value.span ?? quantize.written.get('method')?.value.span ?? quantize.node.keyword.span;
  const endText = `${round(pruneTo.value)}${pruneTo.unit}`;
  const fixes: Fix[] = fromAttr ? [{ title: `Start qat at ${endText}`, edits: [{ span: fromAttr.value.span, newText: endText }], preferred: true }] : [{ title: `Start qat at ${endText}`, edits: [insertAttribute(ctx, quantize.node, `from = ${endText}`)], preferred: true }];
  report(ctx, CODES.qatBeforePruning, 'error', at, `qat starts at ${round(from.value)}${from.unit}${fromAttr ? '' : ' (the last 10% of training)'}, before pruning ends at ${endText}; quantize after the masks are frozen`, { fixes });
}

function checkSamOn(ctx: Ctx, parts: Parts): void {
  const train = parts.blocks.get('train');
  const node = train?.written.get('optimizer')?.value;
  if (!node || parts.model.imported || parts.model.hasNorm !== false) return;
  const at = findTechnique(ctx, node, 'sam_on');
  if (at) report(ctx, CODES.noNormLayers, 'error', at, 'sam_on perturbs only normalization parameters, but this model has none: add norm: layer or norm: batch to a layer');
}

function checkMuon(ctx: Ctx, parts: Parts): void {
  const train = parts.blocks.get('train');
  const node = train?.written.get('optimizer')?.value;
  const muon = findUse(train?.attrs['optimizer'], 'muon');
  const layers = parts.model.layers;
  if (!node || !muon || muon.args['hidden_only'] === false || parts.model.imported || layers === undefined) return;
  const weighted = layers.filter((l) => l.weights.length > 0).length;
  if (weighted > 2) return;
  const at = findTechnique(ctx, node, 'muon');
  if (at) report(ctx, CODES.noHiddenLayers, 'warning', at, `muon updates hidden layers only, and this model's ${weighted === 1 ? 'one weight layer is both its first and last' : 'two weight layers are its first and last'}: aux updates every parameter; add a hidden layer, or set hidden_only: false`);
}

/** Loss evaluations per step above which deepzero warns (the engine's deepzero pass warns at the same budget). */
export const ZO_BUDGET = 1000;

/** deepzero evaluates the loss once per estimated coordinate (or direction), plus once: W above the budget. */
function checkDeepZeroBudget(ctx: Ctx, parts: Parts): void {
  const node = parts.blocks.get('train')?.written.get('optimizer')?.value;
  const evaluations = deepzeroEvaluations(parts);
  if (!node || evaluations === undefined || evaluations <= ZO_BUDGET) return;
  const rge = findUse(parts.blocks.get('train')?.attrs['optimizer'], 'deepzero')?.args['estimator'] === 'rge';
  const at = findTechnique(ctx, node, 'deepzero');
  if (at) report(ctx, CODES.unusualValue, 'warning', at, `deepzero evaluates the loss ${evaluations} times per step (${rge ? 'queries + 1' : 'once per estimated coordinate, plus once'}), above the budget of ${ZO_BUDGET} for zeroth-order training: use a smaller model, a higher sparsity, or rge with fewer queries`);
}

/** deepzero's loss evaluations per step (nnz + 1, or queries + 1), when the optimizer is deepzero and the model's layers are known. */
export function deepzeroEvaluations(parts: Parts): number | undefined {
  const zo = findUse(parts.blocks.get('train')?.attrs['optimizer'], 'deepzero');
  const layers = parts.model.layers;
  if (!zo || layers === undefined) return undefined;
  const s = typeof zo.args['sparsity'] === 'number' ? zo.args['sparsity'] : 0;
  if (zo.args['estimator'] === 'rge') return typeof zo.args['queries'] === 'number' ? zo.args['queries'] + 1 : undefined;
  return 1 + layers.flatMap((l) => l.weights).reduce((sum, w) => {
    const n = w.shape.reduce((a, d) => a * d, 1);
    return sum + (w.shape.length >= 2 && s > 0 ? Math.max(1, n - Math.round(s * n)) : n);
  }, 0);
}

/** The first use of technique `name` in a plan value (nested technique arguments included). */
function findUse(value: PlanValue | undefined, name: string): { readonly args: Readonly<Record<string, PlanValue>> } | undefined {
  if (!isTechnique(value)) return undefined;
  if (value.name === name) return value;
  for (const arg of Object.values(value.args)) {
    const found = findUse(arg, name);
    if (found) return found;
  }
  return undefined;
}

/** The callee span of the first use of technique `name` inside a value (nested args included). */
function findTechnique(ctx: Ctx, value: Value, name: string): Span | undefined {
  let found: Span | undefined;
  walk(value, (n) => {
    const r = ctx.resolutions.get(n);
    if (!found && n.kind === 'ident' && r?.kind === 'technique' && r.entry.name === name) found = n.span;
  });
  return found;
}

/** Compares two durations in epochs when both convert, else only when their units agree. */
function compare(a: Duration, b: Duration, spe: number | undefined): number | undefined {
  const ea = toEpochs(a, spe);
  const eb = toEpochs(b, spe);
  if (ea !== undefined && eb !== undefined) return ea - eb;
  return a.unit === b.unit ? a.value - b.value : undefined;
}

function toEpochs(d: Duration, spe: number | undefined): number | undefined {
  return d.unit === 'ep' ? d.value : spe === undefined ? undefined : d.value / spe;
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
