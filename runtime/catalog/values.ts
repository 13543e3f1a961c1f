// Type guards and accessors for resolved plan values.

import type { Duration, LayerRef, PlanValue, Ratio, TechniqueUse } from './schema';

export function isList(v: PlanValue | undefined): v is readonly PlanValue[] {
  return Array.isArray(v);
}

export function isTechnique(v: PlanValue | undefined): v is TechniqueUse {
  return typeof v === 'object' && !isList(v) && v.kind === 'technique';
}

export function isDuration(v: PlanValue | undefined): v is Duration {
  return typeof v === 'object' && !isList(v) && v.kind === 'duration';
}

export function isRatio(v: PlanValue | undefined): v is Ratio {
  return typeof v === 'object' && !isList(v) && v.kind === 'ratio';
}

export function isLayerRef(v: PlanValue | undefined): v is LayerRef {
  return typeof v === 'object' && !isList(v) && v.kind === 'layer';
}

/** The technique's name when `v` is a technique use, else undefined. */
export function techniqueName(v: PlanValue | undefined): string | undefined {
  return isTechnique(v) ? v.name : undefined;
}

export function num(v: PlanValue | undefined): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

/** A short source-like rendering of a value, for inlay hints and hover: `1e-3`, `2ep`, `adam(lr: 0.001)`. */
export function showValue(v: PlanValue): string {
  if (typeof v === 'number') return showNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v;
  if (isList(v)) return `[${v.map(showValue).join(', ')}]`;
  switch (v.kind) {
    case 'duration':
      return `${showNumber(v.value)}${v.unit}`;
    case 'ratio':
      return `${v.n}:${v.m}`;
    case 'layer':
      return v.name;
    case 'technique': {
      const args = Object.entries(v.args);
      return args.length === 0 ? v.name : `${v.name}(${args.map(([k, a]) => `${k}: ${showValue(a)}`).join(', ')})`;
    }
  }
}

function showNumber(x: number): string {
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e6)) return x.toExponential().replace('e+', 'e');
  return String(x);
}
