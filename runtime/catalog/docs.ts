// Renders the catalog as the Markdown reference page docs/catalog.md. The page is generated so it
// cannot drift from the entries; a test compares the committed file with this output.

import type { Catalog } from './index';
import { describeType } from './conforms';
import type { ParamSpec, TechniqueEntry, TechniqueKind } from './schema';
import { showValue } from './values';

/** The sections of the page, in order, with the title of each kind. */
const KINDS: readonly { readonly kind: TechniqueKind; readonly title: string; readonly intro: string }[] = [
  { kind: 'data', title: 'Data sources', intro: 'Written after the `data` keyword: `data moons(samples: 2000) { … }`.' },
  { kind: 'augmentation', title: 'Augmentations', intro: 'Items of `augment` in the `data` block, applied in order to each training image (never to validation images), seeded by the recipe\'s seed and the step.' },
  { kind: 'model', title: 'Models', intro: 'Written after the `model` keyword; the body lists the layers.' },
  { kind: 'layer', title: 'Layers', intro: 'One per line in the `model` body, optionally named: `fc1: dense(128, act: relu)`.' },
  { kind: 'activation', title: 'Activations', intro: 'Values of a layer\'s `act` argument.' },
  { kind: 'norm', title: 'Normalizations', intro: 'Values of a layer\'s `norm` argument.' },
  { kind: 'init', title: 'Initializers', intro: 'Values of the model\'s `init` attribute.' },
  { kind: 'loss', title: 'Losses', intro: 'Values of `loss` in the `train` block.' },
  { kind: 'optimizer', title: 'Optimizers', intro: 'Values of `optimizer` in the `train` block, or the `base` of a wrapper.' },
  { kind: 'wrapper', title: 'Sharpness-aware wrappers', intro: 'Values of `optimizer` that wrap a base optimizer: `sam(rho: 0.05, base: sgd(lr: 0.1))`.' },
  { kind: 'schedule', title: 'Learning-rate schedules', intro: 'Values of `schedule` in the `train` block; each scales the optimizer\'s `lr`.' },
  { kind: 'regularizer', title: 'Regularizers', intro: 'Items of `regularizers` in the `train` block.' },
  { kind: 'prune_method', title: 'Pruning methods', intro: 'Values of `method` in the `prune` block.' },
  { kind: 'prune_schedule', title: 'Pruning schedules', intro: 'Values of `schedule` in the `prune` block.' },
  { kind: 'lowrank', title: 'Low-rank methods', intro: 'Values of `method` in the `lowrank` block.' },
  { kind: 'quantize_method', title: 'Quantization methods', intro: 'Values of `method` in the `quantize` block.' },
  { kind: 'calibration', title: 'Calibration', intro: 'Values of `calibrate` in the `quantize` block.' },
  { kind: 'metric', title: 'Metrics', intro: 'Items of `metrics` in the `report` block.' },
  { kind: 'sweep_strategy', title: 'Sweep strategies', intro: 'Written after the `sweep` keyword: `sweep grid { … }`, `sweep random { … }`.' },
  { kind: 'distribution', title: 'Sweep distributions', intro: 'Values of a path in a `sweep random` block: `train.optimizer.lr = log_uniform(1e-4, 1e-1)`.' },
  { kind: 'early_stop', title: 'Early stopping', intro: 'Values of `early_stop` in the `sweep` block.' },
];

export function renderCatalogMarkdown(catalog: Catalog): string {
  const out: string[] = [
    '# Technique catalog',
    '',
    '<!-- Generated from runtime/catalog by renderCatalogMarkdown; do not edit. Refresh with UPDATE_EXPECT=1 and the catalog tests. -->',
    '',
    'Every technique a recipe can name, with its parameters (type, range, default), the checks the editor runs on its arguments, its update rule and its paper. Parameters marked *positional* may be written without their name, in the order listed.',
    '',
  ];
  for (const { kind, title } of KINDS) {
    const entries = catalog.ofKind([kind]);
    if (entries.length > 0) out.push(`- [${title}](#${anchor(title)}): ${entries.map((e) => `\`${e.name}\``).join(', ')}`);
  }
  for (const { kind, title, intro } of KINDS) {
    const entries = catalog.ofKind([kind]);
    if (entries.length === 0) continue;
    out.push('', `## ${title}`, '', intro);
    for (const entry of entries) out.push('', ...renderEntry(entry));
  }
  return `${out.join('\n')}\n`;
}

function renderEntry(e: TechniqueEntry): string[] {
  const out = [`### \`${e.name}\``, '', `*${e.summary}*`, '', e.doc];
  if (e.rule !== undefined) out.push('', '```text', e.rule, '```');
  if (e.layers !== undefined) out.push('', e.layers.length === 0 ? 'Layers: none (the body must be empty).' : `Layers: ${e.layers.map((l) => `\`${l}\``).join(', ')}.`);
  if (e.baseParam !== undefined) out.push('', `Base optimizer: \`${e.baseParam}\`.`);
  if (e.params.length > 0) {
    out.push('', '| Parameter | Type | Default | Description |', '|---|---|---|---|');
    for (const p of e.params) out.push(`| \`${p.name}\`${p.positional === true ? ' (positional)' : ''} | ${cell(describeType(p.type))} | ${cell(defaultText(p))} | ${cell(p.doc)} |`);
  }
  const rules = e.rules ?? [];
  if (rules.length > 0) {
    out.push('', 'Checks:', '');
    for (const r of rules) out.push(`- ${r.severity}${r.param === undefined ? '' : ` (\`${r.param}\`)`}: ${r.message}`);
  }
  if (e.paper !== undefined) {
    const title = e.paper.url === undefined ? e.paper.title : `[${e.paper.title}](${e.paper.url})`;
    out.push('', `Paper: ${title}. ${e.paper.authors}, ${e.paper.year}.`);
  }
  return out;
}

function defaultText(p: ParamSpec): string {
  if (p.required === true) return 'required';
  return p.default === undefined ? '—' : `\`${showValue(p.default)}\``;
}

/** Escapes what would end a table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function anchor(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
}
