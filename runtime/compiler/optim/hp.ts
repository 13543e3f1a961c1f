// Readers for resolved hyper-parameters. The checker fills in every default, so a missing or
// mistyped value here is a bug upstream (thrown), not a user error.

import type { HyperParams } from './types';

/** A nested technique argument (structurally a catalog TechniqueUse; the compiler does not import the catalog). */
export interface NestedTechnique {
  readonly name: string;
  readonly args: HyperParams;
}

export function numberHp(hp: HyperParams, name: string): number {
  const v = hp[name];
  if (typeof v !== 'number') throw new Error(`optimizer hyper-parameter ${name} must be a number, got ${String(v)}`);
  return v;
}

/** A number that the catalog leaves optional (e.g. GAM's beta3). */
export function optionalNumberHp(hp: HyperParams, name: string): number | undefined {
  const v = hp[name];
  return v === undefined ? undefined : numberHp(hp, name);
}

export function boolHp(hp: HyperParams, name: string): boolean {
  const v = hp[name];
  if (typeof v !== 'boolean') throw new Error(`optimizer hyper-parameter ${name} must be a boolean, got ${String(v)}`);
  return v;
}

export function stringHp(hp: HyperParams, name: string): string {
  const v = hp[name];
  if (typeof v !== 'string') throw new Error(`optimizer hyper-parameter ${name} must be a string, got ${String(v)}`);
  return v;
}

export function techniqueHp(hp: HyperParams, name: string): NestedTechnique {
  const v = hp[name];
  if (!isTechniqueUse(v)) throw new Error(`optimizer hyper-parameter ${name} must be a technique`);
  return v;
}

function isTechniqueUse(v: unknown): v is NestedTechnique {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as { kind?: unknown; name?: unknown; args?: unknown };
  return o.kind === 'technique' && typeof o.name === 'string' && typeof o.args === 'object' && o.args !== null;
}
