// Learning-rate schedules as plain functions of the 0-based step t (catalog schedules/*.ts): the
// scheduled lr is baseLr·f(t), with the linear warmup f(t) = t/warmup first, then the decay.
// Durations in epochs are converted with the steps per epoch; T is the total number of steps.

import type { HyperParams } from './types';

/** A schedule as the checker resolves it (structurally a catalog TechniqueUse of kind 'schedule'). */
export interface ScheduleUse {
  readonly name: string;
  readonly args: HyperParams;
}

interface Duration {
  readonly kind: 'duration';
  readonly value: number;
  readonly unit: 'ep' | 'step';
}

export interface ScheduleContext {
  readonly stepsPerEpoch: number;
  readonly totalSteps: number;
}

export function learningRate(schedule: ScheduleUse, baseLr: number, step: number, ctx: ScheduleContext): number {
  return baseLr * factor(schedule, step, ctx);
}

function factor(schedule: ScheduleUse, t: number, ctx: ScheduleContext): number {
  const args = schedule.args;
  const steps = (name: string): number => toSteps(durationArg(args[name], name), ctx);
  if (schedule.name === 'warmup') return warm(t, steps('duration')) ?? 1;
  const warmup = steps('warmup');
  const during = warm(t, warmup);
  if (during !== undefined) return during;
  const T = ctx.totalSteps;
  // The fraction of the post-warmup time that has passed (1 when there is none left).
  const progress = T > warmup ? Math.min(1, (t - warmup) / (T - warmup)) : 1;
  switch (schedule.name) {
    case 'constant':
      return 1;
    case 'step':
      return numberArg(args['gamma'], 'gamma') ** Math.floor(t / steps('every'));
    case 'multistep': {
      const ms = args['milestones'];
      const list: readonly unknown[] = Array.isArray(ms) ? ms : [];
      const passed = list.filter((m) => toSteps(durationArg(m, 'milestones'), ctx) <= t).length;
      return numberArg(args['gamma'], 'gamma') ** passed;
    }
    case 'cosine': {
      const min = numberArg(args['min_lr'], 'min_lr');
      return min + (1 - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
    case 'linear': {
      const final = numberArg(args['final'], 'final');
      return 1 - (1 - final) * progress;
    }
    default:
      throw new Error(`learningRate: schedule ${schedule.name} is not compiled`);
  }
}

/** t/warmup during the warmup, undefined after it. */
function warm(t: number, warmup: number): number | undefined {
  return t < warmup ? t / warmup : undefined;
}

function toSteps(d: Duration, ctx: ScheduleContext): number {
  return d.unit === 'ep' ? d.value * ctx.stepsPerEpoch : d.value;
}

function durationArg(v: unknown, name: string): Duration {
  if (!isDuration(v)) throw new Error(`learningRate: ${name} must be a duration`);
  return v;
}

function numberArg(v: unknown, name: string): number {
  if (typeof v !== 'number') throw new Error(`learningRate: ${name} must be a number`);
  return v;
}

function isDuration(v: unknown): v is Duration {
  if (typeof v !== 'object' || v === null) return false;
  const d = v as { kind?: unknown; value?: unknown; unit?: unknown };
  return d.kind === 'duration' && typeof d.value === 'number' && (d.unit === 'ep' || d.unit === 'step');
}
