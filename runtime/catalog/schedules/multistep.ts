import type { Duration, PlanValue, TechniqueEntry } from '../schema';
import { isDuration, isList } from '../values';
import { gammaParam, gammaRule, warmupFactor, warmupParam, warmupRule } from './common';

export const multistep: TechniqueEntry = {
  name: 'multistep',
  kind: 'schedule',
  summary: 'Multi-step decay: multiply the learning rate by gamma at each milestone.',
  doc: 'Multiplies the learning rate by `gamma` at each of the given times (counted from the start of training), as PyTorch `MultiStepLR`, after an optional linear warmup. The classic ResNet recipe decays by 0.1 at about 50% and 75% of training (TRP uses epochs 81 and 122 of 164).',
  rule: `${warmupFactor};  f(t) = gamma^|{milestones ≤ t}| afterwards;  η(t) = lr·f(t)`,
  paper: { title: 'Optimization Methods for Large-Scale Machine Learning', authors: 'L. Bottou, F. E. Curtis, J. Nocedal', year: 2018, url: 'https://arxiv.org/abs/1606.04838' },
  params: [
    { name: 'milestones', type: { kind: 'list', of: { kind: 'duration' } }, required: true, positional: true, doc: 'Times at which the learning rate decays, in increasing order, e.g. `[60ep, 90ep]`.' },
    gammaParam,
    warmupParam,
  ],
  rules: [
    {
      severity: 'error',
      param: 'milestones',
      message: 'milestones must be strictly increasing',
      when: (a) => {
        const ms = durations(a['milestones']);
        // Milestones in different units can only be compared once the steps per epoch are known.
        return ms.some((m, i) => i > 0 && ms[i - 1]?.unit === m.unit && (ms[i - 1]?.value ?? -Infinity) >= m.value);
      },
    },
    {
      severity: 'error',
      param: 'milestones',
      message: 'milestones must not be negative',
      when: (a) => durations(a['milestones']).some((m) => m.value < 0),
    },
    { severity: 'warning', param: 'milestones', message: 'no milestones: the learning rate never decays (use `constant`)', when: (a) => isList(a['milestones']) && a['milestones'].length === 0 },
    gammaRule,
    warmupRule,
  ],
};

function durations(v: PlanValue | undefined): Duration[] {
  return isList(v) ? v.filter(isDuration) : [];
}
