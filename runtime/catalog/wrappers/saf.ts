import type { TechniqueEntry } from '../schema';
import { isDuration } from '../values';
import { baseParam } from './common';

export const saf: TechniqueEntry = {
  name: 'saf',
  kind: 'wrapper',
  summary: 'Sharpness-Aware training for Free: a KL term to the model\'s own outputs from `window` epochs ago.',
  doc: 'SAF (Du et al., 2022; official code AngusDujw/SAF) approximates SAM\'s sharpness penalty at the cost of a single forward/backward pass: it stores every training example\'s logits each epoch and, from `start` on, adds λT²·KL between the softened logits recorded `window` epochs earlier and the current ones. The stored logits take N·(window + 1)·classes floats. Needs a classification data set whose examples carry their index (all Minima data sources do).',
  rule: 'z = f_w(xᵢ);  Z[i, e mod (Ẽ+1)] ← sg(z);  L = CE(z, y) + λT²·KL(softmax(Z[i, (e − Ẽ) mod (Ẽ+1)]/T) ‖ softmax(z/T)) for epochs e > start;  base.step(w, ∇L)',
  paper: { title: 'Sharpness-Aware Training for Free', authors: 'J. Du, D. Zhou, J. Feng, V. Y. F. Tan, J. T. Zhou', year: 2022, url: 'https://arxiv.org/abs/2205.14083' },
  baseParam: 'base',
  params: [
    { name: 'weight', type: { kind: 'number', min: 0 }, default: 0.3, doc: 'Weight λ of the trajectory KL term (`reinforce` in the official code).' },
    { name: 'temperature', type: { kind: 'number', min: 0, minExclusive: true }, default: 5, doc: 'Softmax temperature T of the KL term.' },
    { name: 'start', type: { kind: 'duration' }, default: { kind: 'duration', value: 5, unit: 'ep' }, doc: 'When the KL term switches on (E_start).' },
    { name: 'window', type: { kind: 'number', integer: true, min: 1 }, default: 2, doc: 'How many epochs back the reference logits are taken (Ẽ, `minus_epoch` in the code).' },
    baseParam,
  ],
  rules: [
    { severity: 'warning', param: 'weight', message: 'weight = 0 turns SAF off: training equals the base optimizer alone, while still storing every example\'s logits', when: (a) => a['weight'] === 0 },
    {
      severity: 'warning',
      param: 'start',
      message: 'start is earlier than window epochs: the reference logits from `window` epochs ago are not recorded yet when the KL term starts',
      when: (a) => {
        const start = a['start'];
        const window = a['window'];
        return isDuration(start) && start.unit === 'ep' && typeof window === 'number' && start.value < window;
      },
    },
  ],
};
