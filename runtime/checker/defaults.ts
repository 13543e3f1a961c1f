// Defaults as they enter a plan. A catalog default that is a technique (`schedule = constant`,
// `act: identity`) is written without arguments; the plan holds it with every argument filled,
// recursively, exactly as if the user had written the bare name.

import { isList, isTechnique, type Catalog, type PlanValue } from '../catalog';

export function completeDefault(value: PlanValue, catalog: Catalog): PlanValue {
  if (isList(value)) return value.map((v) => completeDefault(v, catalog));
  if (!isTechnique(value)) return value;
  const entry = catalog.get(value.name, [value.entryKind]);
  if (!entry) return value;
  const args: Record<string, PlanValue> = {};
  for (const p of entry.params) {
    const written = value.args[p.name];
    const v = written ?? p.default;
    if (v !== undefined) args[p.name] = completeDefault(v, catalog);
  }
  return { ...value, args };
}
