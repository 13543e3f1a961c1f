import type { TechniqueEntry } from '../schema';
import { lrParam, momentumType } from './common';

export const sgd: TechniqueEntry = {
  name: 'sgd',
  kind: 'optimizer',
  summary: 'Stochastic gradient descent with optional (Nesterov) momentum and L2 weight decay.',
  doc: 'Plain SGD as in PyTorch `torch.optim.SGD`: weight decay is added to the gradient (coupled L2), momentum keeps a velocity buffer, Nesterov evaluates the momentum look-ahead.',
  rule: 'g ← g + λw;  b ← μb + (1 − τ)g;  d = g + μb (nesterov) or b;  w ← w − η d',
  paper: { title: 'On the importance of initialization and momentum in deep learning', authors: 'I. Sutskever, J. Martens, G. Dahl, G. Hinton', year: 2013, url: 'https://proceedings.mlr.press/v28/sutskever13.html' },
  params: [
    lrParam(0.1),
    { name: 'momentum', type: momentumType, default: 0, doc: 'Momentum factor μ.' },
    { name: 'dampening', type: { kind: 'number', min: 0, max: 1 }, default: 0, doc: 'Dampening τ of the momentum buffer.' },
    { name: 'nesterov', type: { kind: 'bool' }, default: false, doc: 'Use Nesterov momentum.' },
    { name: 'weight_decay', type: { kind: 'number', min: 0 }, default: 0, doc: 'L2 penalty λ added to the gradient.' },
  ],
  rules: [
    { severity: 'error', param: 'nesterov', message: 'Nesterov momentum needs momentum > 0 and dampening = 0', when: (a) => a['nesterov'] === true && (a['momentum'] === 0 || a['dampening'] !== 0) },
    { severity: 'warning', param: 'lr', message: 'lr > 1 is unusually large for SGD; training will likely diverge', when: (a) => typeof a['lr'] === 'number' && a['lr'] > 1 },
  ],
};
