import type { TechniqueEntry } from '../schema';

export const cross_entropy: TechniqueEntry = {
  name: 'cross_entropy',
  kind: 'loss',
  summary: 'Softmax cross-entropy for classification, with optional label smoothing.',
  doc: 'Applies a softmax to the model\'s outputs (logits) and takes the negative log-likelihood of the label, averaged over the batch, as PyTorch `nn.CrossEntropyLoss`. With `smoothing` ε the target puts 1 − ε on the label and spreads ε uniformly over all classes. The model\'s last layer should have no activation.',
  rule: 'p = softmax(z);  q = (1 − ε)·onehot(y) + ε/C;  L = −(1/B) Σ_b Σ_c q_c log p_c',
  paper: { title: 'Rethinking the Inception Architecture for Computer Vision', authors: 'C. Szegedy, V. Vanhoucke, S. Ioffe, J. Shlens, Z. Wojna', year: 2016, url: 'https://arxiv.org/abs/1512.00567' },
  params: [
    { name: 'smoothing', type: { kind: 'fraction', maxExclusive: true }, default: 0, positional: true, doc: 'Label smoothing ε: the share of the target spread uniformly over the classes.' },
  ],
  rules: [
    { severity: 'warning', param: 'smoothing', message: 'smoothing > 0.5 puts more weight on the uniform target than on the label; common values are 0.05–0.2', when: (a) => typeof a['smoothing'] === 'number' && a['smoothing'] > 0.5 },
  ],
};
