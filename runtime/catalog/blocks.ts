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
    summary: 'The dataset: a bundled set, a synthetic generator, CSV, IDX or NumPy files, or a folder of images.',
    doc: 'The `data` block names the data source after the keyword (`data digits`, `data moons(samples: 2000)`, `data csv("train.csv", label: "y")`, `data images("pets", size: 32)`) and sets how it is split, standardized, augmented and batched.',
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
          { name: 'channel', doc: 'Images: subtract each channel\'s mean and divide by its standard deviation, over every training image and pixel (or the given `mean` and `std`), as torchvision\'s `Normalize`.' },
        ] },
        default: 'none',
        doc: 'Input scaling, fitted on the training split only: per feature, or per channel of images.',
      },
      { name: 'mean', type: { kind: 'list', of: { kind: 'number' } }, doc: 'With `standardize = channel`: fixed per-channel means instead of the training split\'s, e.g. `[0.4914, 0.4822, 0.4465]` (with `std`).' },
      { name: 'std', type: { kind: 'list', of: { kind: 'number', min: 0, minExclusive: true } }, doc: 'With `standardize = channel`: fixed per-channel standard deviations, e.g. `[0.247, 0.243, 0.261]` (with `mean`).' },
      { name: 'augment', type: { kind: 'list', of: { kind: 'technique', of: ['augmentation'] } }, default: [], doc: 'Image augmentations applied to each training batch, in order, e.g. `[crop(pad: 4), flip]`; validation images are never augmented.' },
      {
        name: 'target',
        type: { kind: 'enum', members: [
          { name: 'labels', doc: 'The source\'s labels or regression targets.' },
          { name: 'input', doc: 'The (standardized) input itself, flattened: the model is an autoencoder and its output a reconstruction (use `loss = mse`).' },
        ] },
        doc: 'What the model\'s output is compared with (default: the labels).',
      },
    ],
    rules: [
      { severity: 'error', param: 'mean', message: 'mean sets per-channel statistics: it needs standardize = channel', when: (a) => a['mean'] !== undefined && a['standardize'] !== 'channel' },
      { severity: 'error', param: 'std', message: 'std sets per-channel statistics: it needs standardize = channel', when: (a) => a['mean'] === undefined && a['std'] !== undefined && a['standardize'] !== 'channel' },
      { severity: 'error', param: 'mean', message: 'mean needs std as well (one value per channel each)', when: (a) => a['mean'] !== undefined && a['std'] === undefined && a['standardize'] === 'channel' },
      { severity: 'error', param: 'std', message: 'std needs mean as well (one value per channel each)', when: (a) => a['std'] !== undefined && a['mean'] === undefined && a['standardize'] === 'channel' },
      { severity: 'error', param: 'std', message: 'mean and std need one value per channel each, so the same number of values', when: (a) => Array.isArray(a['mean']) && Array.isArray(a['std']) && a['mean'].length !== a['std'].length },
      { severity: 'error', param: 'mean', message: 'mean needs one value per channel', when: (a) => Array.isArray(a['mean']) && a['mean'].length === 0 },
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
      { name: 'freeze', type: { kind: 'list', of: { kind: 'string' } }, doc: 'Imported models (`onnx(…)`): tensors kept at their file values, by PyTorch parameter name (`"embed.weight"`), module path (`"encoder.layers.0"`), ONNX node name (`"/embed/MatMul"`) or glob (`"encoder.layers.*.norm*"`). Every other float tensor of the file that reaches the output through a gradient is trained; a pattern that matches none is an error (M021) where the file can be read, else it fails the run.' },
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
    doc: 'The `prune` block removes weights during training (`obc`: once, after the last step). Pruned weights are held at exactly zero. Give a target `sparsity` or an N:M `pattern` (which implies sparsity 1 − N/M).',
    label: { kind: 'none' },
    required: false,
    attributes: [
      { name: 'method', type: { kind: 'technique', of: ['prune_method'] }, default: { kind: 'technique', name: 'magnitude', entryKind: 'prune_method', args: {} }, doc: 'How weights are scored for removal.' },
      { name: 'sparsity', type: { kind: 'fraction', maxExclusive: true }, doc: 'Target share of zero weights in the pruned layers (default 50%, or 1 − N/M with a pattern).' },
      { name: 'pattern', type: { kind: 'ratio' }, doc: 'N:M structured sparsity: keep N of every M consecutive weights along the input dimension (2:4 runs fast on sparse tensor cores).' },
      { name: 'schedule', type: { kind: 'technique', of: ['prune_schedule'] }, default: { kind: 'technique', name: 'oneshot', entryKind: 'prune_schedule', args: {} }, doc: 'When masks are computed between `from` and `to`.' },
      { name: 'layers', type: { kind: 'list', of: { kind: 'layer' } }, doc: 'Layers to prune (default: every weighted layer except the first and the last). An imported model\'s layers are named in strings: parameter names, module paths, ONNX node names or globs (`"encoder.layers.*.linear*"`).' },
      ...phase('pruning'),
    ],
  },
  {
    name: 'lowrank',
    summary: 'Factorize weight matrices: truncated SVD by energy or rank, or trained rank pruning.',
    doc: 'The `lowrank` block replaces weight matrices by low-rank factors, once (`svd`, `fwsvd`) or throughout training (`trp`).',
    label: { kind: 'none' },
    required: false,
    attributes: [
      { name: 'method', type: { kind: 'technique', of: ['lowrank'] }, required: true, doc: 'The factorization.' },
      { name: 'layers', type: { kind: 'list', of: { kind: 'layer' } }, doc: 'Layers to factorize (default: every dense and conv layer except the first and the last). An imported model\'s layers are named in strings: parameter names, module paths, ONNX node names or globs.' },
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
      { name: 'layers', type: { kind: 'list', of: { kind: 'layer' } }, doc: 'Layers to quantize (default: all weighted layers). An imported model\'s layers are named in strings: parameter names, module paths, ONNX node names or globs.' },
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
      ], doc: 'Metrics computed and streamed while training. `grad_norm` is computed only when it is listed: without it the train step does not compute the gradient norm.' },
      { name: 'every', type: duration, default: { kind: 'duration', value: 1, unit: 'ep' }, doc: 'How often costly metrics (sharpness, Hessian eigenvalue) are computed.' },
      { name: 'export', type: { kind: 'path' }, doc: "Where to write the trained (and compressed) model as ONNX: a file ending in `.onnx` inside the recipe's folder (no absolute path, no `..` above it; M036). A file already there that Minima did not write is never replaced: the model then goes to `name-2.onnx`, and the run says so." },
    ],
  },
  {
    name: 'sweep',
    summary: 'Many runs of this recipe: the values to try at paths into it, and the metric to compare.',
    doc: 'The `sweep` block names its strategy after the keyword (`sweep grid`, `sweep random`) and sets values at dotted paths into the recipe: `train.optimizer.lr = [0.03, 0.1]` (grid), `train.optimizer.base.lr = log_uniform(1e-4, 1e-1)` (random). A path is a block, then an attribute, then parameters of the technique there. Every trial is checked like a recipe of its own. `minima sweep` runs the trials; `minima run` runs the recipe as written and ignores this block.',
    label: { kind: 'technique', of: 'sweep_strategy', required: true },
    required: false,
    paths: true,
    attributes: [
      { name: 'trials', type: { kind: 'number', integer: true, min: 1 }, doc: 'How many trials a random sweep draws (required for `random`; a grid has one per combination).' },
      {
        name: 'metric',
        type: { kind: 'enum', members: [
          { name: 'val_accuracy', doc: 'Accuracy on the validation split after the last epoch.' },
          { name: 'val_loss', doc: 'Loss on the validation split after the last epoch.' },
          { name: 'loss', doc: 'Training loss of the last epoch.' },
        ] },
        default: 'val_accuracy',
        doc: 'The final metric the trials are compared by.',
      },
      {
        name: 'goal',
        type: { kind: 'enum', members: [
          { name: 'max', doc: 'Higher is better (accuracy).' },
          { name: 'min', doc: 'Lower is better (loss).' },
        ] },
        default: 'max',
        doc: 'Whether the best trial has the largest or the smallest metric.',
      },
      { name: 'parallel', type: { kind: 'number', integer: true, min: 1 }, doc: 'Trials run at once by `minima sweep` (default: the cores / 2; `--parallel` overrides).' },
      { name: 'early_stop', type: { kind: 'technique', of: ['early_stop'] }, doc: 'Stop trials that trail at a rung (ASHA): `minima sweep` stops them and records them as stopped early.' },
    ],
  },
];

export function blockSpec(name: string): BlockSpec | undefined {
  return BLOCKS.find((b) => b.name === name);
}
