// Helpers for tests that call catalog entries directly: arguments as the checker would resolve
// them (written arguments over the defaults) and short constructors for plan values.

import type { Duration, PlanValue, TechniqueEntry, TechniqueKind, TechniqueUse } from '../catalog';

export type Args = Readonly<Record<string, PlanValue>>;

/** The entry's defaults with `written` on top, as the checker resolves a call. */
export function withDefaults(entry: TechniqueEntry, written: Args = {}): Args {
  const args: Record<string, PlanValue> = {};
  for (const p of entry.params) if (p.default !== undefined) args[p.name] = p.default;
  return { ...args, ...written };
}

export function ep(value: number): Duration {
  return { kind: 'duration', value, unit: 'ep' };
}

export function steps(value: number): Duration {
  return { kind: 'duration', value, unit: 'step' };
}

export function use(name: string, entryKind: TechniqueKind, args: Args = {}): TechniqueUse {
  return { kind: 'technique', name, entryKind, args };
}

/** `kind:name`, the id tests use for an entry (names repeat across kinds). */
export function entryId(entry: TechniqueEntry): string {
  return `${entry.kind}:${entry.name}`;
}
