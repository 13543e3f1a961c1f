// Parameter specs and rules shared by the synthetic data generators.

import type { ParamSpec, PlanValue, Rule } from '../schema';

export function samplesParam(def: number): ParamSpec {
  return { name: 'samples', type: { kind: 'number', integer: true, min: 1 }, default: def, doc: 'Number of examples generated (with the recipe\'s seed), before the train/validation split.' };
}

export function noiseParam(def: number, what: string): ParamSpec {
  return { name: 'noise', type: { kind: 'number', min: 0 }, default: def, doc: what };
}

export function classesParam(def: number): ParamSpec {
  return { name: 'classes', type: { kind: 'number', integer: true, min: 2 }, default: def, doc: 'Number of classes.' };
}

/** With fewer examples than classes, some classes have no example at all. */
export const samplesPerClassRule: Rule = {
  severity: 'warning',
  param: 'samples',
  message: 'fewer samples than classes: some classes will have no example',
  when: (a) => typeof a['samples'] === 'number' && typeof a['classes'] === 'number' && a['samples'] < a['classes'],
};

/** The integer argument `name`, when it was resolved to a number. */
export function intArg(args: Readonly<Record<string, PlanValue>>, name: string): number | undefined {
  const v = args[name];
  return typeof v === 'number' ? v : undefined;
}

/** `{ examples: samples }` when the sample count is known. */
export function examplesOf(args: Readonly<Record<string, PlanValue>>): { examples?: number } {
  const n = intArg(args, 'samples');
  return n === undefined ? {} : { examples: n };
}

export const sklearnPaper = { title: 'Scikit-learn: Machine Learning in Python', authors: 'F. Pedregosa, G. Varoquaux, A. Gramfort, V. Michel, B. Thirion, O. Grisel, et al.', year: 2011, url: 'https://jmlr.org/papers/v12/pedregosa11a.html' } as const;
