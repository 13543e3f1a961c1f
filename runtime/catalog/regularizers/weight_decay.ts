import type { TechniqueEntry } from '../schema';

export const weight_decay: TechniqueEntry = {
  name: 'weight_decay',
  kind: 'regularizer',
  summary: 'L2 penalty ½λ‖w‖² added to the loss (coupled weight decay).',
  doc: 'Adds ½λ‖w‖² over the weight matrices and kernels (not biases or normalization parameters) to the training loss, so its gradient λw flows through the optimizer like any other gradient (and is rescaled by Adam-type denominators). This differs from the decoupled `weight_decay:` argument of `adamw`, `adamp`, `lion`…, which shrinks the weights directly.',
  rule: 'L\' = L + (λ/2) Σ_{W ∈ weights} ‖W‖²;  ∇_W L\' = ∇_W L + λW',
  paper: { title: 'A Simple Weight Decay Can Improve Generalization', authors: 'A. Krogh, J. A. Hertz', year: 1991, url: 'https://proceedings.neurips.cc/paper/1991/hash/8eefcfdf5990e441f0fb6f3fad709e21-Abstract.html' },
  params: [
    { name: 'value', type: { kind: 'number', min: 0 }, required: true, positional: true, doc: 'The coefficient λ, e.g. `weight_decay(5e-4)`.' },
  ],
  rules: [
    { severity: 'warning', param: 'value', message: 'weight_decay(0) has no effect', when: (a) => a['value'] === 0 },
  ],
};
