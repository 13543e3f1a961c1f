// The wrapper's per-step metrics (Bloop's projection ratio and auxiliary loss, gradient
// regularization's penalty): scalars the train step outputs as `metric.<name>`, read from the
// step's host outputs and added to the step event, so the panel and the run store show them.
// A step without such outputs makes this pass do nothing.

import { stepMetricOutput } from '../../compiler/step';
import type { PassPlan } from './pass';

export function stepMetricsPass(): PassPlan {
  return {
    name: 'step_metrics',
    create: ({ layout }) => {
      const names = layout.stepMetrics ?? [];
      return {
        name: 'step_metrics',
        ...(names.length > 0
          ? {
              afterStep(_batch, out) {
                return Object.fromEntries(names.map((n) => [n, Number(out[stepMetricOutput(n)]?.data[0] ?? NaN)]));
              },
            }
          : {}),
      };
    },
  };
}
