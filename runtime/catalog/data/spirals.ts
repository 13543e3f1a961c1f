import type { TechniqueEntry } from '../schema';
import { examplesOf, classesParam, intArg, noiseParam, samplesParam, samplesPerClassRule } from './common';

export const spirals: TechniqueEntry = {
  name: 'spirals',
  kind: 'data',
  summary: 'Interleaved 2-D spiral arms, one class per arm (synthetic).',
  doc: 'Generates `classes` spiral arms around the origin, one per class, with `samples` examples split evenly between them (the classic two-spirals problem generalized as in the CS231n spiral data set). Along an arm the radius grows linearly from 0 to 1 while the angle turns `turns` full circles; arms are rotated by 2π/classes from each other, and Gaussian noise is added to the angle. Hard for shallow networks when `turns` is large.',
  rule: 'arm k, point i of n: r = i/n;  θ = 2π·turns·r + 2πk/classes + N(0, noise²);  x = (r sin θ, r cos θ)',
  paper: { title: 'Learning to tell two spirals apart', authors: 'K. J. Lang, M. J. Witbrock', year: 1988 },
  params: [
    samplesParam(1000),
    classesParam(3),
    noiseParam(0.2, 'Standard deviation of the Gaussian noise added to the angle, in radians.'),
    { name: 'turns', type: { kind: 'number', min: 0, minExclusive: true }, default: 1, doc: 'Full turns each arm makes from the centre to radius 1.' },
  ],
  rules: [samplesPerClassRule],
  data: (args) => {
    return { input: [2], classes: intArg(args, 'classes'), task: 'classification', ...examplesOf(args) };
  },
};
