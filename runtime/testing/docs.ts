// Generators for the parts of docs/ that are derived from code (diagnostic codes, block
// attributes), and the helper that keeps a generated region of a Markdown file in sync.

import { BLOCKS, showValue, type BlockSpec, type ParamSpec, type ParamType } from '../catalog';
import { CODE_INFO } from '../language';

/** docs/diagnostics.md, entirely generated from `CODE_INFO`. */
export function diagnosticsMarkdown(): string {
  const rows = CODE_INFO.map((c) => `| \`${c.code}\` | \`${c.slug}\` | ${cell(c.summary)} |`);
  return [
    '# Diagnostic codes',
    '',
    '<!-- Generated from runtime/language/codes.ts by runtime/test/docs.test.ts; run the tests with UPDATE_EXPECT=1 to rewrite. -->',
    '',
    'Every diagnostic Minima reports carries a stable code. Codes are never renumbered or reused;',
    'new ones are only added. The editor shows the code next to the message, `minima check` prints',
    'it after the severity (`recipe.minima:12:15: error M012: …`) and `minima check --json` puts',
    'it in the `code` field. The severity (error, warning or info) belongs to each report, not to',
    'the code: a value can be an error in one place and a warning in another.',
    '',
    '| code | name | meaning |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

/** The attribute tables of every block, for docs/language.md. */
export function blockTablesMarkdown(): string {
  return BLOCKS.map(blockSection).join('\n');
}

function blockSection(b: BlockSpec): string {
  const label =
    b.label.kind === 'none'
      ? 'no label'
      : b.label.kind === 'string'
        ? `label: a string${b.label.required ? '' : ' (optional)'}`
        : `label: a \`${b.label.of}\` technique${b.label.required ? '' : ' (optional)'}`;
  const lines = [`### \`${b.name}\`${b.required ? ' (required)' : ''}`, '', `${b.summary} ${b.doc}`, '', `Header: \`${b.name}${headerExample(b)} { … }\` — ${label}.`];
  if (b.statements) lines.push(`Statements: one \`${b.statements}\` per line, optionally named (\`name: …\`).`);
  lines.push('', '| attribute | type | default | meaning |', '|---|---|---|---|', ...b.attributes.map(attributeRow), '');
  return lines.join('\n');
}

function headerExample(b: BlockSpec): string {
  if (b.label.kind === 'string') return ' "name"';
  if (b.label.kind === 'technique') return ` <${b.label.of}>`;
  return '';
}

function attributeRow(p: ParamSpec): string {
  const def = p.required ? '**required**' : p.default !== undefined ? `\`${showValue(p.default)}\`` : '—';
  return `| \`${p.name}\` | ${cell(typeText(p.type))} | ${def} | ${cell(p.doc)} |`;
}

/** A reader's description of a parameter type: `integer ≥ 1`, `list of layer`, `one of none, zscore`. */
export function typeText(t: ParamType): string {
  switch (t.kind) {
    case 'number': {
      const bounds = [
        t.min !== undefined ? `${t.minExclusive ? '>' : '≥'} ${t.min}` : '',
        t.max !== undefined ? `${t.maxExclusive ? '<' : '≤'} ${t.max}` : '',
      ].filter((x) => x !== '');
      return [t.integer ? 'integer' : 'number', bounds.join(', ')].filter((x) => x !== '').join(' ');
    }
    case 'fraction':
      return `fraction ${t.minExclusive ? '(0' : '[0'}, 1${t.maxExclusive ? ')' : ']'} (\`80%\` or \`0.8\`)`;
    case 'duration':
      return 'duration (`2ep`, `500step`)';
    case 'ratio':
      return 'ratio N:M (`2:4`)';
    case 'string':
      return 'string';
    case 'path':
      return 'path (string)';
    case 'bool':
      return '`true` or `false`';
    case 'enum':
      return `one of ${t.members.map((m) => `\`${m.name}\``).join(', ')}`;
    case 'technique':
      return `${t.of.map((k) => `\`${k}\``).join(' or ')} technique`;
    case 'layer':
      return 'layer name';
    case 'list':
      return `list of ${typeText(t.of)}`;
    case 'union':
      return t.of.map(typeText).join(' or ');
  }
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * Replaces the region between `<!-- BEGIN GENERATED: name -->` and `<!-- END GENERATED: name -->`
 * in `doc` by `content`. Throws when the markers are missing (a doc without them is a bug).
 */
export function replaceGenerated(doc: string, name: string, content: string): string {
  const begin = `<!-- BEGIN GENERATED: ${name} -->`;
  const end = `<!-- END GENERATED: ${name} -->`;
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  if (i < 0 || j < i) throw new Error(`missing generated-region markers for '${name}'`);
  return `${doc.slice(0, i + begin.length)}\n${content.trimEnd()}\n${doc.slice(j)}`;
}
