// Rules shared across kind folders: durations that must be positive or non-negative.

import type { PlanValue, Rule } from './schema';
import { isDuration } from './values';

/** An error when the duration argument `param` is zero or negative (`every: 0ep`). */
export function positiveDurationRule(param: string): Rule {
  return { severity: 'error', param, message: `${param} must be longer than zero`, when: (a) => durationValue(a[param]) <= 0 };
}

/** An error when the duration argument `param` is negative (`warmup: -1ep`). */
export function nonNegativeDurationRule(param: string): Rule {
  return { severity: 'error', param, message: `${param} must not be negative`, when: (a) => durationValue(a[param]) < 0 };
}

function durationValue(v: PlanValue | undefined): number {
  return isDuration(v) ? v.value : NaN;
}
