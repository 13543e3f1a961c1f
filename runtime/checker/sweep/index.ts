// Sweeps: the `sweep` block read, its paths resolved, its trials expanded into recipe texts.
export { planSweep, type SweepPlan } from './plan';
export { readSweep, trialCount, type SweepSpec, type SweepPath, type SweepValues, type SweepStrategy } from './spec';
export { sweepablePaths, type SweepablePath } from './paths';
export type { Assignment, Trial, TrialText } from './expand';
export { MAX_CHECKED_TRIALS } from './check';
