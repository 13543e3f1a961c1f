// Optimizers and sharpness-aware wrappers as graph builders, keyed by catalog name, and the
// learning-rate schedules as plain functions. Knows graphs and catalog hyper-parameters; nothing
// about syntax, LSP or onnxruntime.

import { asam } from './asam';
import { auon } from './auon';
import { bloop } from './bloop';
import { dctAdam } from './dct-adam';
import { deepzero } from './deepzero';
import { gr } from './gr';
import { dpSat } from './dp-sat';
import { BASE_OPTIMIZERS } from './base-optimizers';
import { fsam } from './fsam';
import { gam } from './gam';
import { muon } from './muon';
import { sam } from './sam';
import { samOn } from './sam-on';
import type { OptimizerBuilder, WrapperBuilder } from './types';

export const OPTIMIZERS: ReadonlyMap<string, OptimizerBuilder> = new Map([...BASE_OPTIMIZERS, [muon.name, muon],
  // A14, A21.
  [auon.name, auon], [dctAdam.name, dctAdam],
]);

export const WRAPPERS: ReadonlyMap<string, WrapperBuilder> = new Map([sam, asam, samOn, gam, fsam,
  // A15, A16, A20.
  bloop, gr, deepzero,
  // A07.
  dpSat,
].map((w) => [w.name, w]));

/** Catalog techniques of these kinds that have no builder, with the reason. */
export const NOT_COMPILED: ReadonlyMap<string, string> = new Map<string, string>();

/** Wrappers built into the loss by the train step instead of as a WrapperBuilder (see saf.ts). */
export const LOSS_WRAPPERS: ReadonlySet<string> = new Set(['saf']);

export * from './types';
export { hostScalarInputs, hostScalarValues, type HostScalar, type HostScalarInput } from './host-scalars';
export { learningRate, type ScheduleContext, type ScheduleUse } from './schedule';
export { newtonSchulz } from './newton-schulz';
export { cgeKept, deepzeroInputs, zoEvaluations, type ZoInput } from './deepzero';
export { SAF_INPUTS, safInputs, safKl, safLoss, type SafInputs } from './saf';
export { buildExampleGradients, dpGradName, exampleGradName, dpSat } from './dp-sat';
