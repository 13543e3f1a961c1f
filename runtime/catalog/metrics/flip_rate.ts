import type { TechniqueEntry } from '../schema';

// Catalog A46 (and D05's cheap probes): the mask flip rate of Hu et al. (2024).
export const flip_rate: TechniqueEntry = {
  name: 'flip_rate',
  kind: 'metric',
  summary: 'Share of mask entries that changed at each mask update, overall and per pruned layer.',
  doc: 'Each time the pruning masks are recomputed, counts the entries that switched between kept and pruned: r_t = ‖m_t − m_{t−1}‖₁ / D over the D entries of the pruned layers\' masks. The epoch\'s value is the mean over the updates in that epoch (0 when the mask did not change, and for a static mask). A high flip rate means the sparse structure has not settled; masked decay (`transposable`) and SR-STE\'s decay lower it. Needs a prune block.',
  rule: 'r_t = ‖m_t − m_{t−1}‖₁ / D  (mean over the epoch\'s mask updates)',
  paper: { title: 'Accelerating Transformer Pre-training with 2:4 Sparsity', authors: 'Y. Hu, K. Zhao, W. Huang, J. Chen, J. Zhu', year: 2024, url: 'https://arxiv.org/abs/2404.01847' },
  params: [],
};
