// Parameter specs and rules shared by the learning-rate schedules. A schedule is a factor on the
// optimizer's `lr`; times are measured from the start of training, and the linear warmup (from 0
// to the schedule's value) happens first.

import type { ParamSpec, Rule } from '../schema';
import { nonNegativeDurationRule } from '../rules';

export { positiveDurationRule } from '../rules';

export const warmupParam: ParamSpec = {
  name: 'warmup',
  type: { kind: 'duration' },
  default: { kind: 'duration', value: 0, unit: 'ep' },
  doc: 'Length of the linear warmup from 0 to the scheduled learning rate at the start of training.',
};

export const gammaParam: ParamSpec = {
  name: 'gamma',
  type: { kind: 'number', min: 0, minExclusive: true, max: 1 },
  default: 0.1,
  doc: 'Factor the learning rate is multiplied by at each decay.',
};

export const warmupRule: Rule = nonNegativeDurationRule('warmup');

/** Step decay with γ = 1 never changes the learning rate. */
export const gammaRule: Rule = { severity: 'warning', param: 'gamma', message: 'gamma = 1 never decays the learning rate', when: (a) => a['gamma'] === 1 };

/** How every schedule's warmup reads in its update rule. */
export const warmupFactor = 'f(t) = t/warmup for t < warmup';

