// The workloads of `npm run bench:train`, shared by the coordinator (bench/train.ts) and the engine
// processes it starts (bench/train-engine.ts): recipes, per-layer shapes, FLOP counts and the
// description bench/torch_train.py builds the same network and optimizer from.

import { analyze } from '../runtime/analysis';
import type { CheckedRecipe } from '../runtime/checker';
import { type PlanValue, isTechnique } from '../runtime/catalog';

export interface Workload {
  readonly name: string;
  /** The recipe text; only its shapes, batch and optimizer matter (the data are in memory). */
  readonly recipe: string;
  /** Input shape per example for recipes whose shapes only a file would know (idx data). */
  readonly inputShape: readonly number[];
  readonly batch: number;
  readonly classes: number;
  /** 'digits': the bundled 8×8 digits; 'gaussian': Gaussian inputs with uniform labels. */
  readonly data: 'digits' | 'gaussian';
  /** Timed steps per repetition and untimed ones before them (both sides alike). */
  readonly steps: number;
  readonly rewarm: number;
  /** The target for native at 1 thread, as PyTorch ms ÷ ours (undefined: none set). */
  readonly nativeTarget?: number;
  /**
   * A transformer encoder, which Minima's side imports as PyTorch exports it
   * (bench/torch_train.py --export writes TRANSFORMER_ONNX; the recipe reads it).
   */
  readonly transformer?: TransformerSpec;
}

/** nn.TransformerEncoder layers (batch first, no dropout) after a linear embedding plus a learned positional one. */
export interface TransformerSpec {
  readonly features: number;
  readonly seq: number;
  readonly d: number;
  readonly heads: number;
  readonly ff: number;
  readonly layers: number;
}

/** Where the bench writes the transformer workload's ONNX file (relative to the repository root). */
export const TRANSFORMER_ONNX = '.cache/bench/transformer-bench.onnx';

const MLP_SMALL = 'dense(256, act: relu)\n  dense(10)';
const CNN_DIGITS = 'conv2d(8, kernel: 3, pad: 1, act: relu)\n  maxpool(2)\n  conv2d(16, kernel: 3, pad: 1, act: relu)\n  flatten\n  dense(10)';
const CNN_28 = 'conv2d(32, kernel: 3, pad: 1, act: relu)\n  maxpool(2)\n  conv2d(64, kernel: 3, pad: 1, act: relu)\n  maxpool(2)\n  flatten\n  dense(128, act: relu)\n  dense(10)';
const MLP_WIDE = 'dense(1024, act: relu)\n  dense(1024, act: relu)\n  dense(10)';

const TRANSFORMER: TransformerSpec = { features: 16, seq: 32, d: 64, heads: 4, ff: 256, layers: 2 };

export const WORKLOADS: readonly Workload[] = [
  { name: 'mlp 784-256-10 sgd b128', recipe: recipe('blobs(samples: 2048, features: 784, classes: 10)', 128, MLP_SMALL, 'sgd(lr: 0.05)'), inputShape: [784], batch: 128, classes: 10, data: 'gaussian', steps: 100, rewarm: 10, nativeTarget: 1.3 },
  { name: 'cnn digits sgd b64', recipe: recipe('digits', 64, CNN_DIGITS, 'sgd(lr: 0.05)'), inputShape: [1, 8, 8], batch: 64, classes: 10, data: 'digits', steps: 100, rewarm: 10, nativeTarget: 2.5 },
  { name: 'cnn 28x28 sgd b64', recipe: recipe('idx("images.idx", "labels.idx")', 64, CNN_28, 'sgd(lr: 0.05, momentum: 0.9)'), inputShape: [1, 28, 28], batch: 64, classes: 10, data: 'gaussian', steps: 8, rewarm: 2, nativeTarget: 1.3 },
  { name: 'mlp 784-1024-1024-10 adam b256', recipe: recipe('idx("images.idx", "labels.idx")', 256, MLP_WIDE, 'adam(lr: 1e-3)'), inputShape: [784], batch: 256, classes: 10, data: 'gaussian', steps: 4, rewarm: 1, nativeTarget: 1.2 },
  { name: 'mlp 784-1024-1024-10 sam/sgd b256', recipe: recipe('idx("images.idx", "labels.idx")', 256, MLP_WIDE, 'sam(rho: 0.05, base: sgd(lr: 0.05, momentum: 0.9))'), inputShape: [784], batch: 256, classes: 10, data: 'gaussian', steps: 4, rewarm: 1, nativeTarget: 1.2 },
  { name: 'transformer d64 x2 seq32 adamw b64', recipe: recipe('idx("images.idx", "labels.idx")', 64, '', 'adamw(lr: 1e-3, weight_decay: 0.01)', TRANSFORMER_ONNX), inputShape: [TRANSFORMER.seq, TRANSFORMER.features], batch: 64, classes: 10, data: 'gaussian', steps: 8, rewarm: 2, transformer: TRANSFORMER },
];

export function workloadNamed(name: string): Workload {
  const w = WORKLOADS.find((x) => x.name === name);
  if (!w) throw new Error(`no bench workload ${name}`);
  return w;
}

export function checked(w: Workload): CheckedRecipe {
  const a = analyze(w.recipe);
  if (!a.recipe) throw new Error(`bench recipe ${w.name} does not check: ${a.diagnostics.map((d) => d.message).join('; ')}`);
  return a.recipe;
}

/** One layer as the bench counts and mirrors it: its kind, arguments and shapes per example. */
export interface LayerShape {
  readonly kind: string;
  readonly args: Readonly<Record<string, PlanValue>>;
  readonly input: readonly number[];
  readonly output: readonly number[];
}

/** The declared layers with their shapes, propagated from the workload's input shape. */
export function layerShapes(w: Workload, recipe: CheckedRecipe): LayerShape[] {
  let shape = w.inputShape;
  return recipe.model.declared.map((d) => {
    const args = d.use.args;
    const input = shape;
    switch (d.use.name) {
      case 'dense':
        shape = [numArg(args['units']) ?? 0];
        break;
      case 'conv2d': {
        const k = numArg(args['kernel']) ?? 3;
        const s = numArg(args['stride']) ?? 1;
        const p = numArg(args['pad']) ?? 0;
        shape = [numArg(args['channels']) ?? 0, ...input.slice(1).map((n) => Math.floor((n + 2 * p - k) / s) + 1)];
        break;
      }
      case 'maxpool': {
        const k = numArg(args['size']) ?? 2;
        const s = numArg(args['stride']) ?? k;
        shape = [input[0] ?? 0, ...input.slice(1).map((n) => Math.floor((n - k) / s) + 1)];
        break;
      }
      case 'flatten':
        shape = [size(input)];
        break;
      default:
        throw new Error(`bench: layer kind ${d.use.name} is not mirrored`);
    }
    return { kind: d.use.name, args, input, output: shape };
  });
}

/**
 * Counted FLOPs of one training step: 3 × the forward pass (forward, gradient w.r.t. activations,
 * gradient w.r.t. weights), with 2·in·out per dense layer and 2·(out pixels·channels)·(in
 * channels / groups)·k² per convolution and example; activations, pooling and the loss are not
 * counted. SAM takes two forward-backward passes.
 */
export function stepFlops(w: Workload, recipe: CheckedRecipe): number {
  if (w.transformer) return 3 * w.batch * transformerForwardFlops(w.transformer, w.classes);
  const forward = layerShapes(w, recipe).reduce((total, l) => {
    if (l.kind === 'dense') return total + 2 * size(l.input) * size(l.output);
    if (l.kind === 'conv2d') return total + 2 * size(l.output) * ((l.input[0] ?? 0) / (numArg(l.args['groups']) ?? 1)) * (numArg(l.args['kernel']) ?? 3) ** 2;
    return total;
  }, 0);
  return 3 * w.batch * forward * (optimizerOf(recipe).wrapper === 'sam' ? 2 : 1);
}

/**
 * Counted forward FLOPs of one example through the transformer: per token the embedding, per layer
 * the Q/K/V and output projections (4·d²), the feed-forward (2·d·ff) and the attention's two
 * products (QKᵀ and AV: 2·seq·d), each ×2 for multiply-add; the head on the mean. Softmax, norms
 * and activations are not counted, as for the other workloads.
 */
function transformerForwardFlops(t: TransformerSpec, classes: number): number {
  const perToken = 2 * t.features * t.d + t.layers * 2 * (4 * t.d * t.d + 2 * t.d * t.ff + 2 * t.seq * t.d);
  return t.seq * perToken + 2 * t.d * classes;
}

/** The optimizer as the PyTorch peer builds it: the base optimizer's settings and SAM's ρ. */
export function optimizerOf(recipe: CheckedRecipe): { readonly kind: string; readonly hp: Readonly<Record<string, unknown>>; readonly wrapper?: string; readonly rho?: number } {
  const opt = recipe.blocks['train']?.attrs['optimizer'];
  if (!isTechnique(opt)) throw new Error('bench recipe has no optimizer');
  if (opt.entryKind !== 'wrapper') return { kind: opt.name, hp: opt.args };
  const base = opt.args['base'];
  if (!isTechnique(base)) throw new Error('bench recipe: the wrapper has no base optimizer');
  if (opt.name !== 'sam' || opt.args['adaptive'] === true) throw new Error(`bench/torch_train.py does not mirror the wrapper ${opt.name}`);
  return { kind: base.name, hp: base.args, wrapper: opt.name, rho: numArg(opt.args['rho']) ?? 0.05 };
}

/** The spec bench/torch_train.py reads for one workload at `threads` threads. */
export function torchSpec(w: Workload, recipe: CheckedRecipe, threads: number, gemm: { readonly n: number; readonly reps: number }): unknown {
  const o = optimizerOf(recipe);
  const n = (k: string, d: number) => numArg(o.hp[k]) ?? d;
  const optimizer =
    o.kind === 'sgd'
      ? { kind: 'sgd', lr: n('lr', 0.01), momentum: n('momentum', 0), dampening: n('dampening', 0), nesterov: o.hp['nesterov'] === true, weight_decay: n('weight_decay', 0) }
      : o.kind === 'adam' || o.kind === 'adamw'
        ? { kind: o.kind, lr: n('lr', 1e-3), betas: [n('beta1', 0.9), n('beta2', 0.999)], eps: n('eps', 1e-8), weight_decay: n('weight_decay', o.kind === 'adamw' ? 0.01 : 0), amsgrad: o.hp['amsgrad'] === true }
        : unsupported(`optimizer ${o.kind}`);
  return {
    threads,
    gemm,
    workload: {
      name: w.name,
      inputShape: w.inputShape,
      classes: w.classes,
      batch: w.batch,
      rewarm: w.rewarm,
      steps: w.steps,
      optimizer,
      sam: o.wrapper === 'sam' ? o.rho : 0,
      ...(w.transformer ? { transformer: w.transformer, layers: [] } : { layers: layerShapes(w, recipe).flatMap(torchLayers) }),
    },
  };
}

function torchLayers(l: LayerShape): unknown[] {
  const act = l.args['act'];
  const relu = isTechnique(act) && act.name === 'relu' ? [{ kind: 'relu' }] : isTechnique(act) && act.name !== 'identity' ? unsupported(`act ${act.name}`) : [];
  const norm = l.args['norm'];
  if (isTechnique(norm) && norm.name !== 'none') unsupported(`norm ${norm.name}`);
  switch (l.kind) {
    case 'dense':
      return [{ kind: 'dense', in: size(l.input), out: size(l.output) }, ...relu];
    case 'conv2d':
      if ((numArg(l.args['groups']) ?? 1) !== 1) unsupported('groups');
      return [{ kind: 'conv2d', in: l.input[0], out: l.output[0], kernel: numArg(l.args['kernel']) ?? 3, stride: numArg(l.args['stride']) ?? 1, pad: numArg(l.args['pad']) ?? 0 }, ...relu];
    case 'maxpool': {
      const s = numArg(l.args['size']) ?? 2;
      return [{ kind: 'maxpool', size: s, stride: numArg(l.args['stride']) ?? s }];
    }
    case 'flatten':
      return [{ kind: 'flatten' }];
    default:
      return unsupported(`layer kind ${l.kind}`);
  }
}

function unsupported(what: string): never {
  throw new Error(`bench/torch_train.py does not mirror ${what}`);
}

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function recipe(data: string, batch: number, layers: string, optimizer: string, onnxFile?: string): string {
  const kind = onnxFile !== undefined ? `onnx(${JSON.stringify(onnxFile)})` : layers.startsWith('conv2d') ? 'cnn' : 'mlp';
  return `recipe "bench" {\n  seed = 1\n}\n\ndata ${data} {\n  batch = ${batch}\n}\n\nmodel ${kind} {\n  ${layers}\n}\n\ntrain {\n  epochs = 1\n  loss = cross_entropy\n  optimizer = ${optimizer}\n}\n`;
}

function numArg(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}
