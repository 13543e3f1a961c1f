// Markdown renderings of catalog knowledge, shared by hover, completion and signature help, and
// the plain one-line texts of completion rows.
//
// NOTE: VS Code's suggest details pane shows a completion's `detail` above its documentation with
// `word-break: break-all` once it wraps, so a sentence there is cut anywhere ("op tional"). Details
// are therefore short plain text (`DETAIL_MAX`); sentences live in the documentation, where words
// wrap normally, and parameters are a list, since a table in that narrow pane squeezes its prose
// column to one word per line.

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
  if (entry.params.length > 0) parts.push(paramList(entry.params));
  if (entry.paper) parts.push(paperLine(entry.paper));
  return parts.join('\n\n');
}

/** `**Parameters**` and one list item per parameter: `` - `rho` · number · default `0.05` — Neighbourhood radius ρ.`` */
export function paramList(params: readonly ParamSpec[], heading = 'Parameters'): string {
  const items = params.map((p) => {
    const value = p.default !== undefined ? ` · default ${defaultLabel(p)}` : p.required ? ' · required' : '';
    return `- \`${p.name}\` · ${typeLabel(p.type)}${value} — ${oneParagraph(p.doc)}`;
  });
  return [`**${heading}**`, items.join('\n')].join('\n\n');
}

/** The longest `detail` a completion item carries: it fits the details pane's header on one line. */
export const DETAIL_MAX = 40;

/** `number = 0.05`, `optimizer, required`: a parameter's plain-text completion detail. */
export function paramDetail(p: ParamSpec): string {
  const type = typeText(p.type);
  const full = p.default !== undefined ? `${type} = ${showValue(p.default)}` : p.required ? `${type}, required` : type;
  if (full.length <= DETAIL_MAX) return full;
  const short = typeText(p.type, true);
  const shorter = p.default !== undefined ? `${short} = ${showValue(p.default)}` : p.required ? `${short}, required` : short;
  return shorter.length <= DETAIL_MAX ? shorter : short;
}

/** A type in plain text (no Markdown), `brief` naming enums and technique unions by what they are. */
export function typeText(t: ParamType, brief = false): string {
  switch (t.kind) {
    case 'fraction':
      return 'fraction';
    case 'duration':
      return 'duration';
    case 'enum':
      return brief ? 'enum' : t.members.map((m) => m.name).join(' | ');
    case 'technique':
      return brief && t.of.length > 1 ? 'technique' : t.of.map(kindLabel).join(' or ');
    case 'list':
      return brief && t.of.kind === 'union' ? 'list' : `list of ${typeText(t.of, brief)}`;
    case 'union':
      return brief ? 'value' : t.of.map((x) => typeText(x)).join(' or ');
    default:
      return typeLabel(t);
  }
}

/** The first sentence of `doc`, without Markdown or its final period: a completion row's one-line description. */
export function oneLine(doc: string): string {
  const plain = doc.replace(/`([^`]*)`/g, '$1').replace(/\*\*([^*]*)\*\*/g, '$1').replace(/\s+/g, ' ').trim();
  // A sentence ends at a period before a capital or the end ("e.g. `x`" does not end one).
  const end = plain.search(/\.(\s+[A-Z]|$)/);
  return end > 0 ? plain.slice(0, end) : plain;
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
  if (spec.attributes.length > 0) parts.push(paramList(spec.attributes, 'Attributes'));
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

/** Text on one line of a list item: a line break inside would end the item. */
function oneParagraph(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ');
}

function trim(x: number): string {
  return String(Math.round(x * 100) / 100);
}
