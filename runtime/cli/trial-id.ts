// A sweep trial's id: a content hash of its resolved recipe (the checked plan, defaults filled
// in), so the id changes exactly when what the trial trains changes. Rerunning a sweep finds a
// finished trial by its id and skips it; editing the search space keeps the trials that did not
// change; comments and formatting do not count.

import { createHash } from 'node:crypto';
import type { CheckedRecipe } from '../checker';

/** 12 hex digits of SHA-256 over the plan written as JSON with sorted keys, without source positions. */
export function trialId(plan: CheckedRecipe): string {
  return createHash('sha256').update(stableJson(plan, POSITIONS)).digest('hex').slice(0, 12);
}

/** Where the plan points back into the text: a comment above a block moves them, nothing trains differently. */
const POSITIONS: ReadonlySet<string> = new Set(['span', 'line']);

/** JSON with object keys in sorted order, so equal values always give equal text; `omit` keys are left out. */
export function stableJson(value: unknown, omit: ReadonlySet<string> = new Set()): string {
  if (Array.isArray(value)) return `[${value.map((v) => stableJson(v, omit)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([k, v]) => v !== undefined && !omit.has(k))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v, omit)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
