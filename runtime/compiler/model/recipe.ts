// The part of a checked recipe the model builder reads, typed structurally: runtime/compiler may
// not import runtime/checker or runtime/catalog (see test/layering.test.ts), and a CheckedRecipe
// is assignable to ModelRecipe as it is.

/** A resolved technique use (`dense(128, act: relu)` with every default filled in). */
export interface TechniqueArgs {
  readonly name: string;
  readonly args: Readonly<Record<string, unknown>>;
}

/** One layer, named; `input`/`output` are the checker's inferred shapes when it knew them. */
export interface LayerSpec {
  readonly name: string;
  readonly use: TechniqueArgs;
  readonly input?: readonly number[];
  readonly output?: readonly number[];
}

export interface ModelRecipe {
  readonly data: { readonly shape: { readonly input?: readonly number[] } };
  readonly model: {
    readonly init: TechniqueArgs;
    /** With shapes (empty when only a file knows the input shape). */
    readonly layers: readonly LayerSpec[];
    /** Every written layer, in order, resolved and named. */
    readonly declared: readonly LayerSpec[];
  };
}

/** A technique-valued argument (`act: relu`, `norm: batch(momentum: 0.2)`), or undefined. */
export function techniqueArg(args: Readonly<Record<string, unknown>>, key: string): TechniqueArgs | undefined {
  const v = args[key];
  if (typeof v !== 'object' || v === null || !('name' in v) || !('args' in v)) return undefined;
  const { name, args: inner } = v;
  if (typeof name !== 'string' || typeof inner !== 'object' || inner === null) return undefined;
  return { name, args: inner as Readonly<Record<string, unknown>> };
}

/** A numeric argument; the checker has filled in defaults, so a missing one is a caller bug unless a fallback is given. */
export function numberArg(args: Readonly<Record<string, unknown>>, key: string, fallback?: number): number {
  const v = args[key];
  if (typeof v === 'number') return v;
  if (fallback !== undefined) return fallback;
  throw new Error(`model: missing numeric argument ${key}`);
}

export function boolArg(args: Readonly<Record<string, unknown>>, key: string, fallback: boolean): boolean {
  const v = args[key];
  return typeof v === 'boolean' ? v : fallback;
}

export function stringArg(args: Readonly<Record<string, unknown>>, key: string, fallback: string): string {
  const v = args[key];
  return typeof v === 'string' ? v : fallback;
}
