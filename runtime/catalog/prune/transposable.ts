import type { TechniqueEntry } from '../schema';
import { positiveDurationRule } from '../rules';

// Catalog A46, read in the official huyz2023/2by4-pretrain (README.md, sparse/decay.py,
// sparse/sparse_ops.py, sparse/transposable_semi_structured.py). The optional MVUE 2:4 gradient
// sparsification is not offered: the weight gradient is dense, as with MVUE off.
export const transposable: TechniqueEntry = {
  name: 'transposable',
  kind: 'prune_method',
  summary: '2:4 training with transposable masks and masked decay (Hu et al., 2024).',
  doc: 'Trains dense weights whose forward pass uses a transposable 2:4 mask: in every 4×4 block of the weight (out, in·kh·kw) two entries are kept per row and per column, the pattern with the largest Σ|w| of the 90 possible, so both the forward GEMM and the transposed GEMM of the backward pass are 2:4. The mask is recomputed from the dense weights every `every` steps between `from` and `to`; the gradient passes straight through to all weights, and after gradient clipping (before the optimizer) the masked decay α(1 − m)⊙W is added. At `to` the mask is fixed and pruned weights are held at zero (`finish: fixed`), or training continues dense (`finish: dense`, the paper\'s dense fine-tune). Needs `pattern = 2:4` and weights whose both dimensions are multiples of 4. Report `flip_rate` to watch the mask\'s stability.',
  rule: 'm = argmax over the 90 transposable 4×4 patterns of Σ|w| per block (every `every` steps);  forward with W ⊙ m;  ∇_W = clip(∇_W̃ L) + α (1 − m) ⊙ W;  flip rate r_t = ‖m_t − m_{t−1}‖₁ / D',
  paper: { title: 'Accelerating Transformer Pre-training with 2:4 Sparsity', authors: 'Y. Hu, K. Zhao, W. Huang, J. Chen, J. Zhu', year: 2024, url: 'https://arxiv.org/abs/2404.01847' },
  params: [
    { name: 'decay', type: { kind: 'number', min: 0 }, default: 6e-5, positional: true, doc: 'Masked decay factor α on the pruned weights\' gradients (the official README\'s 6e-5; the paper tunes it in warm-up).' },
    { name: 'every', type: { kind: 'duration' }, default: { kind: 'duration', value: 40, unit: 'step' }, doc: 'Steps between mask updates (the official layer\'s update frequency, 40).' },
    {
      name: 'finish',
      type: { kind: 'enum', members: [
        { name: 'fixed', doc: 'At `to` the last mask is fixed and pruned weights are held at zero: the exported model is 2:4 sparse.' },
        { name: 'dense', doc: 'At `to` the mask is dropped and training continues dense (the paper\'s dense fine-tune); the exported model is dense.' },
      ] },
      default: 'fixed',
      doc: 'What happens at the end of the sparse phase (`to`).',
    },
  ],
  rules: [
    positiveDurationRule('every'),
    { severity: 'warning', param: 'decay', message: 'decay = 0 turns masked decay off: the mask tends to flip often (watch flip_rate)', when: (a) => a['decay'] === 0 },
  ],
};
