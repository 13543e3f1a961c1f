// Whether a resolved value fits a parameter type, and how a type reads in prose. The checker
// reports type errors from these; the catalog's own tests hold every default to its type.

import type { ParamType, PlanValue } from './schema';
import { isDuration, isLayerRef, isList, isRatio, isTechnique } from './values';

/** True when `value` is a member of `type`, range bounds and integrality included. */
export function conforms(value: PlanValue, type: ParamType): boolean {
  switch (type.kind) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && (type.integer !== true || Number.isInteger(value)) && inRange(value, type.min, type.max, type.minExclusive, type.maxExclusive);
    case 'fraction':
      return typeof value === 'number' && inRange(value, 0, 1, type.minExclusive, type.maxExclusive);
    case 'duration':
      return isDuration(value) && Number.isFinite(value.value) && (value.unit === 'ep' || value.unit === 'step');
    case 'ratio':
      return isRatio(value) && Number.isInteger(value.n) && Number.isInteger(value.m) && value.n >= 1 && value.m >= 1;
    case 'string':
    case 'path':
      return typeof value === 'string';
    case 'bool':
      return typeof value === 'boolean';
    case 'enum':
      return typeof value === 'string' && type.members.some((m) => m.name === value);
    case 'technique':
      return isTechnique(value) && type.of.includes(value.entryKind);
    case 'layer':
      return isLayerRef(value);
    case 'list':
      return isList(value) && value.every((v) => conforms(v, type.of));
    case 'union':
      return type.of.some((t) => conforms(value, t));
  }
}

/** The type in words, for messages and docs: `number in [0, 1)`, `integer ≥ 1`, `duration (2ep, 500step)`. */
export function describeType(type: ParamType): string {
  switch (type.kind) {
    case 'number':
      return `${type.integer === true ? 'integer' : 'number'}${describeRange(type.min, type.max, type.minExclusive, type.maxExclusive)}`;
    case 'fraction':
      return `fraction in ${type.minExclusive === true ? '(' : '['}0, 1${type.maxExclusive === true ? ')' : ']'}`;
    case 'duration':
      return 'duration (2ep, 500step)';
    case 'ratio':
      return 'N:M ratio';
    case 'string':
      return 'string';
    case 'path':
      return 'path';
    case 'bool':
      return 'bool';
    case 'enum':
      return `one of ${type.members.map((m) => m.name).join(', ')}`;
    case 'technique':
      return type.of.join(' or ');
    case 'layer':
      return 'layer name';
    case 'list':
      return `list of ${describeType(type.of)}`;
    case 'union':
      return type.of.map(describeType).join(' or ');
  }
}

function inRange(x: number, min: number | undefined, max: number | undefined, minEx: boolean | undefined, maxEx: boolean | undefined): boolean {
  if (Number.isNaN(x)) return false;
  if (min !== undefined && (minEx === true ? x <= min : x < min)) return false;
  if (max !== undefined && (maxEx === true ? x >= max : x > max)) return false;
  return true;
}

function describeRange(min: number | undefined, max: number | undefined, minEx: boolean | undefined, maxEx: boolean | undefined): string {
  if (min !== undefined && max !== undefined) return ` in ${minEx === true ? '(' : '['}${min}, ${max}${maxEx === true ? ')' : ']'}`;
  if (min !== undefined) return ` ${minEx === true ? '>' : '≥'} ${min}`;
  if (max !== undefined) return ` ${maxEx === true ? '<' : '≤'} ${max}`;
  return '';
}
