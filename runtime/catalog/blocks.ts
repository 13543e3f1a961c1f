// The blocks of a recipe and their attributes. Technique-valued attributes name the kind of
// technique they take; the techniques themselves live in the entry folders beside this file.

import type { BlockSpec, ParamSpec } from './schema';

const duration = { kind: 'duration' } as const;

const phase = (what: string): ParamSpec[] => [
  { name: 'from', type: duration, doc: `When ${what} starts (default: the start of training).` },
  { name: 'to', type: duration, doc: `When ${what} ends (default: the end of training).` },
];

export const BLOCKS: readonly BlockSpec[] = [
  {
    name: 'recipe',
    summary: 'Names the recipe and fixes its random seed.',
    doc: 'The `recipe` block names the recipe (shown in run history) and holds settings that concern the whole run. Optional.',
    label: { kind: 'string', required: false },
    required: false,
    attributes: [
      { name: 'seed', type: { kind: 'number', integer: true, min: 0 }, default: 0, doc: 'Seed for initialization, shuffling, dropout and mixup; runs with the same seed reproduce.' },
      { name: 'description', type: { kind: 'string' }, doc: 'Free text shown in run history.' },
    ],
  },
  {
    name: 'data',
    summary: 'The dataset: a bundled set, a synthetic generator, a CSV or IDX files.',
    doc: 'The `data` block names the data source after the keyword (`data digits`, `data moons(samples: 2000)`, `data csv("train.csv", label: "y")`) and sets how it is split and batched.',
    label: { kind: 'technique', of: 'data', required: true },
    required: true,
    attributes: [
      { name: 'split', type: { kind: 'fraction', minExclusive: true }, default: 0.8, doc: 'Share of the examples used for training; the rest is the validation set.' },
      { name: 'batch', type: { kind: 'number', integer: true, min: 1 }, default: 64, doc: 'Examples per optimizer step.' },
      { name: 'shuffle', type: { kind: 'bool' }, default: true, doc: 'Reshuffle the training set every epoch (seeded).' },
      {
        name: 'standardize',
        type: { kind: 'enum', members: [
          { name: 'none', doc: 'Feed features as they are.' },
          { name: 'zscore', doc: 'Subtract the training mean and divide by the training standard deviation, per feature.' },
          { name: 'minmax', doc: 'Scale each feature to [0, 1] using the training minimum and maximum.' },
        ] },
        default: 'none',
        doc: 'Per-feature input scaling, fitted on the training split only.',
      },
    ],
  },
  {
    name: 'model',
    summary: 'The network: an MLP, a small CNN, or an imported ONNX model.',
    doc: 'The `model` block names the architecture after the keyword and lists its layers, one per line, in order. Layers are named `dense_1`, `dense_2`, `conv2d_1`, … by kind and position, or explicitly with `name: dense(…)`.',
    label: { kind: 'technique', of: 'model', required: true },
    required: true,
    statements: 'layer',
    attributes: [
      { name: 'init', type: { kind: 'technique', of: ['init'] }, default: { kind: 'technique', name: 'he', entryKind: 'init', args: {} }, doc: 'How weights are initialized; biases start at zero.' },
      { name: 'freeze', type: { kind: 'list', of: { kind: 'string' } }, doc: 'Imported models (`onnx(…)`): tensors kept at their file values, by PyTorch parameter name (`"embed.weight"`), module path (`"encoder.layers.0"`) or glob (`"encoder.layers.*.norm*"`). Every other float tensor of the file that reaches the output through a gradient is trained; a pattern that matches none fails the run.' },
      // NOTE: no declared default, so that editors do not hint `tie = false` on every built-in model.
      { name: 'tie', type: { kind: 'bool' }, doc: 'Imported models: `true` trains the tensors the exporter merged because their values were equal (its `Identity` copies, e.g. fresh LayerNorm weights) as one shared tensor. Without it each copy is trained on its own, as the separate parameters they are in PyTorch.' },
    ],
  },
  {
    name: 'train',
    summary: 'The training loop: epochs, loss, optimizer, schedule and regularizers.',
    doc: 'The `train` block sets how long to train and how: the loss, the optimizer (possibly wrapped by a sharpness-aware method), the learning-rate schedule and extra regularizers.',
    label: { kind: 'none' },
    required: true,
    attributes: [
      { name: 'epochs', type: { kind: 'number', integer: true, min: 1 }, required: true, doc: 'Passes over the training set.' },
      { name: 'loss', type: { kind: 'technique', of: ['loss'] }, default: { kind: 'technique', name: 'cross_entropy', entryKind: 'loss', args: {} }, doc: 'The training objective.' },
      { name: 'optimizer', type: { kind: 'technique', of: ['optimizer', 'wrapper'] }, required: true, doc: 'The optimizer, or a wrapper such as `sam(base: …)` around one.' },
      { name: 'schedule', type: { kind: 'technique', of: ['schedule'] }, default: { kind: 'technique', name: 'constant', entryKind: 'schedule', args: {} }, doc: 'How the learning rate changes over training; it scales the optimizer\'s `lr`.' },
      { name: 'regularizers', type: { kind: 'list', of: { kind: 'technique', of: ['regularizer'] } }, default: [], doc: 'Extra regularization: `weight_decay(…)` (L2 added to the loss), `mixup(…)`.' },
      { name: 'grad_clip', type: { kind: 'number', min: 0, minExclusive: true }, doc: 'Clip the global gradient norm to this value before the optimizer step.' },
    ],
  },
  {
    name: 'prune',
    summary: 'Sparsify weights: magnitude (global or per layer), gradual, or N:M.',
    doc: 'The `prune` block removes weights during training. Pruned weights are held at exactly zero. Give a target `sparsity` or an N:M `pattern` (which implies sparsity 1 − N/M).',
    label: { kind: 'none' },
    required: false,
    attributes: [
      { name: 'method', type: { kind: 'technique', of: ['prune_method'] }, default: { kind: 'technique', name: 'magnitude', entryKind: 'prune_method', args: {} }, doc: 'How weights are scored for removal.' },
      { name: 'sparsity', type: { kind: 'fraction', maxExclusive: true }, doc: 'Target share of zero weights in the pruned layers (default 50%, or 1 − N/M with a pattern).' },
      { name: 'pattern', type: { kind: 'ratio' }, doc: 'N:M structured sparsity: keep N of every M consecutive weights along the input dimension (2:4 runs fast on sparse tensor cores).' },
      { name: 'schedule', type: { kind: 'technique', of: ['prune_schedule'] }, default: { kind: 'technique', name: 'oneshot', entryKind: 'prune_schedule', args: {} }, doc: 'When masks are computed between `from` and `to`.' },
      { name: 'layers', type: { kind: 'list', of: { kind: 'layer' } }, doc: 'Layers to prune (default: every weighted layer except the first and the last).' },
      ...phase('pruning'),
    ],
  },
  {
    name: 'lowrank',
    summary: 'Factorize weight matrices: truncated SVD by energy or rank, or trained rank pruning.',
    doc: 'The `lowrank` block replaces weight matrices by low-rank factors, once (`svd`) or throughout training (`trp`).',
    label: { kind: 'none' },
    required: false,
    attributes: [
      { name: 'method', type: { kind: 'technique', of: ['lowrank'] }, required: true, doc: 'The factorization.' },
      { name: 'layers', type: { kind: 'list', of: { kind: 'layer' } }, doc: 'Layers to factorize (default: every dense and conv layer except the first and the last).' },
      ...phase('the low-rank phase'),
    ],
  },
  {
    name: 'quantize',
    summary: 'Quantize weights to int8 (or fewer bits): post-training with calibration, or quantization-aware training.',
    doc: 'The `quantize` block quantizes the trained model. `ptq` calibrates ranges after training; `qat` trains with fake quantization and straight-through gradients from `from` on. Export writes QDQ ONNX.',
    label: { kind: 'none' },
    required: false,
    attributes: [
      { name: 'method', type: { kind: 'technique', of: ['quantize_method'] }, default: { kind: 'technique', name: 'ptq', entryKind: 'quantize_method', args: {} }, doc: 'Post-training (`ptq`) or quantization-aware training (`qat`).' },
      { name: 'bits', type: { kind: 'number', integer: true, min: 2, max: 16 }, default: 8, doc: 'Bit width of the weights.' },
      { name: 'per_channel', type: { kind: 'bool' }, default: true, doc: 'One scale per output channel (recommended for weights) instead of one per tensor.' },
      { name: 'symmetric', type: { kind: 'bool' }, default: true, doc: 'Symmetric ranges [−α, α] with zero point 0; otherwise asymmetric [α, β].' },
      { name: 'calibrate', type: { kind: 'technique', of: ['calibration'] }, default: { kind: 'technique', name: 'minmax', entryKind: 'calibration', args: {} }, doc: 'How the clipping range is chosen.' },
      { name: 'layers', type: { kind: 'list', of: { kind: 'layer' } }, doc: 'Layers to quantize (default: all weighted layers).' },
      { name: 'from', type: duration, doc: 'QAT only: when fake quantization starts (default: the last 10% of training).' },
    ],
  },
  {
    name: 'report',
    summary: 'What to measure while training, and where to export the model.',
    doc: 'The `report` block lists the metrics streamed while training and the path of the exported ONNX model.',
    label: { kind: 'none' },
    required: false,
    attributes: [
      { name: 'metrics', type: { kind: 'list', of: { kind: 'technique', of: ['metric'] } }, default: [
        { kind: 'technique', name: 'loss', entryKind: 'metric', args: {} },
        { kind: 'technique', name: 'accuracy', entryKind: 'metric', args: {} },
      ], doc: 'Metrics computed and streamed while training.' },
      { name: 'every', type: duration, default: { kind: 'duration', value: 1, unit: 'ep' }, doc: 'How often costly metrics (sharpness, Hessian eigenvalue) are computed.' },
      { name: 'export', type: { kind: 'path' }, doc: "Where to write the trained (and compressed) model as ONNX: a file ending in `.onnx` inside the recipe's folder (no absolute path, no `..` above it; M036). A file already there that Minima did not write is never replaced: the model then goes to `name-2.onnx`, and the run says so." },
    ],
  },
];

export function blockSpec(name: string): BlockSpec | undefined {
  return BLOCKS.find((b) => b.name === name);
}
