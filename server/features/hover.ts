// Hover: the documentation of whatever the cursor is on — a block (with the model's static
// estimates), an attribute, a technique (summary, update rule, parameters, paper), an argument, an
// enum member or a layer (kind, shapes, parameter count).

import * as lsp from 'vscode-languageserver';
import type { Analysis } from '../../runtime/analysis';
import { readSweep, trialCount, type Resolution } from '../../runtime/checker';
import { toRange } from '../convert';
import { layerAt } from './layers';
import { attributeMarkdown, blockMarkdown, enumMarkdown, estimatesMarkdown, layerMarkdown, paramMarkdown, techniqueMarkdown } from './markdown';
import { resolveAt } from './scope';
import { modelLayerHover } from './model-layers';

export function hover(a: Analysis, pos: lsp.Position): lsp.Hover | undefined {
  const offset = a.lines.offset(pos);
  const imported = modelLayerHover(a, offset);
  if (imported) return imported;
  const resolved = resolveAt(a, offset);
  const layer = layerAt(a, offset);
  if (!resolved) {
    if (!layer) return undefined;
    return { contents: md(layerMarkdown(layer.layer)), range: toRange(a.lines, layer.span) };
  }
  let text = describe(a, resolved.resolution);
  // The callee of an auto-named layer is both a technique and the layer's definition.
  if (layer && resolved.resolution.kind === 'technique') text += '\n\n---\n\n' + layerMarkdown(layer.layer);
  return { contents: md(text), range: toRange(a.lines, resolved.node.span) };
}

function describe(a: Analysis, r: Resolution): string {
  switch (r.kind) {
    case 'block': {
      const doc = blockMarkdown(r.spec);
      const est = a.semantics.estimates;
      if (r.spec.name === 'sweep') return `${doc}\n\n---\n\n${sweepMarkdown(a)}`;
      return r.spec.name === 'model' && est ? `${doc}\n\n---\n\n${estimatesMarkdown(est, a.semantics.layers)}` : doc;
    }
    case 'attribute':
      return attributeMarkdown(r.block, r.param);
    case 'technique':
      return techniqueMarkdown(r.entry);
    case 'param':
      return paramMarkdown(r.param, r.entry.name);
    case 'enum':
      return enumMarkdown(r.param, r.member);
    case 'layer':
      return layerMarkdown(r.layer);
  }
}

/** `**4 trials**: 2 × 2 (grid)`. */
function sweepMarkdown(a: Analysis): string {
  const { spec } = readSweep(a.tree, a.text);
  if (!spec) return 'No trials: the sweep needs a strategy, `grid` or `random`.';
  const n = trialCount(spec);
  const how = spec.strategy === 'grid' ? `${spec.paths.map((p) => (p.values.kind === 'list' ? p.values.items.length : 1)).join(' × ') || '0'} (grid)` : `drawn with seed ${spec.seed} (random)`;
  return `**${n} trial${n === 1 ? '' : 's'}**: ${how}; best by ${spec.goal} \`${spec.metric}\``;
}

function md(value: string): lsp.MarkupContent {
  return { kind: lsp.MarkupKind.Markdown, value };
}
