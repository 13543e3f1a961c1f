// Words for types, technique kinds and written values, used in diagnostic messages, plus the
// example values that quick fixes insert for missing attributes and parameters.

import type { Catalog, ParamType, TechniqueKind } from '../catalog';
import type { Value } from '../language';

const KIND_WORDS: Readonly<Record<TechniqueKind, string>> = {
  data: 'a data source',
  augmentation: 'an augmentation',
  model: 'a model',
  layer: 'a layer',
  activation: 'an activation',
  norm: 'a normalization',
  init: 'an initializer',
  loss: 'a loss',
  optimizer: 'an optimizer',
  wrapper: 'a wrapper',
  schedule: 'a schedule',
  regularizer: 'a regularizer',
  prune_method: 'a pruning method',
  prune_schedule: 'a pruning schedule',
  lowrank: 'a low-rank method',
  quantize_method: 'a quantization method',
  calibration: 'a calibration method',
  sweep_strategy: 'a sweep strategy',
  distribution: 'a sweep distribution',
  early_stop: 'an early-stopping rule',
  metric: 'a metric',
};

/** `an optimizer or a wrapper`. */
export function kindPhrase(kinds: readonly TechniqueKind[]): string {
  return kinds.map((k) => KIND_WORDS[k]).join(' or ');
}

/** `optimizer or wrapper` (no articles), for "unknown optimizer or wrapper 'x'". */
export function kindNoun(kinds: readonly TechniqueKind[]): string {
  return kinds.map((k) => KIND_WORDS[k].replace(/^an? /, '')).join(' or ');
}

/** The expected type in words: `a duration such as 2ep or 500step`. */
export function typeName(t: ParamType): string {
  switch (t.kind) {
    case 'number':
      return t.integer ? 'a whole number' : 'a number';
    case 'fraction':
      return 'a fraction such as 0.8 or 80%';
    case 'duration':
      return 'a duration such as 2ep or 500step';
    case 'ratio':
      return 'an N:M ratio such as 2:4';
    case 'string':
      return 'a string';
    case 'path':
      return 'a file path in quotes';
    case 'bool':
      return 'true or false';
    case 'enum':
      return `one of ${t.members.map((m) => m.name).join(', ')}`;
    case 'technique':
      return kindPhrase(t.of);
    case 'layer':
      return 'a layer name';
    case 'list':
      return `a list of ${typeName(t.of).replace(/^(an?|one of) /, '')}s`.replace(/ss$/, 's');
    case 'union':
      return t.of.map(typeName).join(' or ');
  }
}

/** A written value in words: `0.5`, `"x"`, `'adam'`, `a list`, `'sam(…)'`. */
export function describeNode(v: Value): string {
  switch (v.kind) {
    case 'number':
    case 'percent':
    case 'duration':
    case 'ratio':
      return v.text;
    case 'string':
      return `"${v.value}"`;
    case 'bool':
      return String(v.value);
    case 'ident':
      return `'${v.name}'`;
    case 'list':
      return 'a list';
    case 'call':
      return `'${v.callee.name}(…)'`;
    case 'missing':
      return 'nothing';
    case 'error':
      return `'${v.text}'`;
  }
}

/** Source text of a valid example value of type `t`, for quick fixes. */
export function exampleText(t: ParamType, catalog: Catalog, layerNames: readonly string[] = []): string {
  switch (t.kind) {
    case 'number': {
      const lo = t.min ?? 0;
      const v = t.minExclusive || lo <= 0 ? Math.max(lo, 0) + 1 : lo;
      const capped = t.max !== undefined && v > t.max ? (t.min ?? 0) : v;
      return String(capped);
    }
    case 'fraction':
      return '50%';
    case 'duration':
      return '1ep';
    case 'ratio':
      return '2:4';
    case 'string':
    case 'path':
      return '"file"';
    case 'bool':
      return 'true';
    case 'enum':
      return t.members[0]?.name ?? 'none';
    case 'technique': {
      const e = catalog.ofKind(t.of).find((x) => x.params.every((p) => !p.required)) ?? catalog.ofKind(t.of)[0];
      return e?.name ?? 'none';
    }
    case 'layer':
      return layerNames[0] ?? 'dense_1';
    case 'list':
      return '[]';
    case 'union':
      return t.of[0] ? exampleText(t.of[0], catalog, layerNames) : '0';
  }
}
