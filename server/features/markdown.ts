// Markdown renderings of catalog knowledge, shared by hover, completion and signature help.

import { showValue, type BlockSpec, type EnumMember, type ParamSpec, type ParamType, type TechniqueEntry } from '../../runtime/catalog';
import type { Estimates, LayerSymbol } from '../../runtime/checker';

/** `adamp(lr = 1e-3, beta1 = 0.9, …)`: the signature line of a technique. */
export function signatureLabel(entry: TechniqueEntry): string {
  return `${entry.name}(${entry.params.map(paramLabel).join(', ')})`;
}

/** `lr = 0.001`, or `base` for a parameter without a default. */
export function paramLabel(p: ParamSpec): string {
  return p.default !== undefined ? `${p.name} = ${showValue(p.default)}` : p.name;
}

export function techniqueMarkdown(entry: TechniqueEntry): string {
  const parts = [`**${entry.name}** — ${kindLabel(entry.kind)}`, entry.summary];
  if (entry.doc !== entry.summary) parts.push(entry.doc);
  if (entry.rule) parts.push('```\n' + entry.rule + '\n```');
  if (entry.params.length > 0) parts.push(paramTable(entry.params));
  if (entry.paper) parts.push(paperLine(entry.paper));
  return parts.join('\n\n');
}

export function paramTable(params: readonly ParamSpec[]): string {
  const rows = params.map((p) => `| \`${p.name}\` | ${typeLabel(p.type)} | ${defaultLabel(p)} | ${escapeCell(p.doc)} |`);
  return ['| parameter | type | default | |', '|---|---|---|---|', ...rows].join('\n');
}

/** Hover and completion documentation for one parameter or attribute. */
export function paramMarkdown(p: ParamSpec, owner: string): string {
  const lines = [`**${p.name}** — parameter of \`${owner}\``, p.doc, `Type: ${typeLabel(p.type)}`, `Default: ${defaultLabel(p)}`];
  const range = rangeLabel(p.type);
  if (range) lines.push(`Valid range: ${range}`);
  return lines.join('\n\n');
}

export function blockMarkdown(spec: BlockSpec): string {
  const parts = [`**${spec.name}** block${spec.required ? ' (required)' : ''}`, spec.summary, spec.doc];
  if (spec.attributes.length > 0) parts.push(paramTable(spec.attributes));
  return parts.join('\n\n');
}

export function attributeMarkdown(spec: BlockSpec, p: ParamSpec): string {
  return paramMarkdown(p, spec.name).replace('parameter of', 'attribute of');
}

export function enumMarkdown(param: ParamSpec, member: EnumMember): string {
  return `**${member.name}** — value of \`${param.name}\`\n\n${member.doc}`;
}

export function layerMarkdown(layer: LayerSymbol): string {
  const head = `**${layer.name}** — layer${layer.explicit ? '' : ' (named by kind and position)'}`;
  const plan = layer.plan;
  if (!plan) return head;
  const params = plan.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
  return [head, `\`${showValue(plan.use)}\``, `${shapeLabel(plan.input)} → ${shapeLabel(plan.output)}`, `${formatCount(params)} parameters, ${formatCount(plan.flops)} FLOPs per example`].join('\n\n');
}

export function estimatesMarkdown(e: Estimates, layers: readonly LayerSymbol[]): string {
  const lines = [
    '**Estimates**',
    `| | |\n|---|---|\n| parameters | ${formatCount(e.parameters)} |\n| FLOPs / step | ${formatCount(e.flopsPerStep)} |\n| forward FLOPs / example | ${formatCount(e.flopsPerExample)} |\n| size (fp32) | ${formatBytes(e.bytesBefore)} |\n| size after compression | ${formatBytes(e.bytesAfter)} |\n| passes / step | ${e.passesPerStep} |`,
  ];
  const planned = layers.filter((l) => l.plan);
  if (planned.length > 0) {
    const rows = planned.map((l) => {
      const p = l.plan!;
      const params = p.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
      return `| ${l.name} | ${shapeLabel(p.input)} | ${shapeLabel(p.output)} | ${formatCount(params)} |`;
    });
    lines.push(['| layer | input | output | parameters |', '|---|---|---|---|', ...rows].join('\n'));
  }
  return lines.join('\n\n');
}

export function typeLabel(t: ParamType): string {
  switch (t.kind) {
    case 'number':
      return t.integer ? 'integer' : 'number';
    case 'fraction':
      return 'fraction (`80%` or `0.8`)';
    case 'duration':
      return 'duration (`2ep`, `500step`)';
    case 'ratio':
      return 'N:M ratio';
    case 'string':
      return 'string';
    case 'path':
      return 'path';
    case 'bool':
      return 'bool';
    case 'enum':
      return t.members.map((m) => `\`${m.name}\``).join(' \\| ');
    case 'technique':
      return t.of.map(kindLabel).join(' or ');
    case 'layer':
      return 'layer name';
    case 'list':
      return `list of ${typeLabel(t.of)}`;
    case 'union':
      return t.of.map(typeLabel).join(' or ');
  }
}

/** `0 < x ≤ 1`, `integer ≥ 1`, … or undefined when the type has no range. */
export function rangeLabel(t: ParamType): string | undefined {
  if (t.kind === 'fraction') return `${t.minExclusive ? '0 < x' : '0 ≤ x'} ${t.maxExclusive ? '< 1' : '≤ 1'}`;
  if (t.kind !== 'number' || (t.min === undefined && t.max === undefined)) return undefined;
  const lo = t.min === undefined ? '' : `${t.min} ${t.minExclusive ? '<' : '≤'} `;
  const hi = t.max === undefined ? '' : ` ${t.maxExclusive ? '<' : '≤'} ${t.max}`;
  return `${lo}x${hi}`;
}

export function defaultLabel(p: ParamSpec): string {
  if (p.default !== undefined) return `\`${showValue(p.default)}\``;
  return p.required ? 'required' : '—';
}

export function kindLabel(kind: string): string {
  return kind.replace(/_/g, ' ');
}

export function shapeLabel(s: readonly number[]): string {
  return `[${s.join(', ')}]`;
}

/** 1234 → `1,234`; 2.5e6 → `2.5M`. */
export function formatCount(n: number): string {
  if (n >= 1e9) return `${trim(n / 1e9)}G`;
  if (n >= 1e6) return `${trim(n / 1e6)}M`;
  return Math.round(n).toLocaleString('en-US');
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${trim(n / (1024 * 1024))} MiB`;
  if (n >= 1024) return `${trim(n / 1024)} KiB`;
  return `${n} B`;
}

function paperLine(p: NonNullable<TechniqueEntry['paper']>): string {
  const title = p.url ? `[${p.title}](${p.url})` : p.title;
  return `Paper: ${title} — ${p.authors}, ${p.year}`;
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function trim(x: number): string {
  return String(Math.round(x * 100) / 100);
}
