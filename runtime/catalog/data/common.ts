// Parameter specs, rules and docs shared by the data sources.

import type { DataShape, ParamSpec, PlanValue, Rule } from '../schema';

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

/** `task: classification | regression` of the file sources whose labels may be either. */
export function taskParam(doc: string): ParamSpec {
  return {
    name: 'task',
    type: { kind: 'enum', members: [
      { name: 'classification', doc: 'Labels are class indices.' },
      { name: 'regression', doc: 'Labels are numbers to predict.' },
    ] },
    default: 'classification',
    doc,
  };
}

/** What a file source whose shapes only the file knows yields: the task, nothing more. */
export function taskOnly(args: Readonly<Record<string, PlanValue>>): DataShape {
  return { task: args['task'] === 'regression' ? 'regression' : 'classification' };
}

export const numpyPaper = { title: 'Array programming with NumPy', authors: 'C. R. Harris, K. J. Millman, S. J. van der Walt, R. Gommers, et al.', year: 2020, url: 'https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html' } as const;

/** The note shared by npy and npz on how arrays become examples. */
export const ARRAYS_DOC = 'The first axis indexes the examples: features of shape (N, d₁, …) give examples of shape [d₁, …] as they are, so (N, 3, 32, 32) feeds a CNN and (N, 8) an MLP; with `channels_last`, (N, H, W, C) images (as Keras stores them) become C × H × W. Features may be float32, float64, any integer type or bool; uint8 features are pixels and are divided by 255, others are read as they are and must be finite. Classification labels are class indices of shape (N,) (any integer type), and the classes are 0 to the largest label; regression labels are (N,) or (N, targets) numbers. Shapes are known only when the files are read, so shape checks against the model wait until the run.';
