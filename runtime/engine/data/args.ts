// Reading a data source's resolved arguments. The checker fills in defaults, but a source built by
// hand (tests, the CLI) may omit them, so a missing argument falls back to the catalog's default.

import { CATALOG, type PlanValue, type TechniqueUse } from '../../catalog';
import { dataError, type DataError } from './types';

/** The argument `name` of `source`, or the catalog default for it. */
export function argOf(source: TechniqueUse, name: string): PlanValue | undefined {
  const v = source.args[name];
  if (v !== undefined) return v;
  return CATALOG.get(source.name, ['data'])?.params.find((p) => p.name === name)?.default;
}

export function numberArg(source: TechniqueUse, name: string): number | DataError {
  const v = argOf(source, name);
  return typeof v === 'number' && Number.isFinite(v) ? v : badArg(source, name, 'a number', v);
}

export function intArg(source: TechniqueUse, name: string, min: number): number | DataError {
  const v = argOf(source, name);
  return typeof v === 'number' && Number.isInteger(v) && v >= min ? v : badArg(source, name, `an integer ≥ ${min}`, v);
}

export function boolArg(source: TechniqueUse, name: string): boolean | DataError {
  const v = argOf(source, name);
  return typeof v === 'boolean' ? v : badArg(source, name, 'true or false', v);
}

export function stringArg(source: TechniqueUse, name: string): string | DataError {
  const v = argOf(source, name);
  return typeof v === 'string' ? v : badArg(source, name, 'a string', v);
}

/** Like `stringArg`, but `undefined` when the argument is absent and has no default. */
export function optionalStringArg(source: TechniqueUse, name: string): string | undefined | DataError {
  const v = argOf(source, name);
  return v === undefined || typeof v === 'string' ? v : badArg(source, name, 'a string', v);
}

function badArg(source: TechniqueUse, name: string, wanted: string, got: PlanValue | undefined): DataError {
  const shown = got === undefined ? 'nothing' : JSON.stringify(got);
  return dataError(`${source.name}: argument '${name}' must be ${wanted}, got ${shown}`);
}
