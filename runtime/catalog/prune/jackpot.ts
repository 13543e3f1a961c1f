import type { TechniqueEntry } from '../schema';

// Catalog A48, read in the official zyxxmu/lottery-jackpots (utils/conv_type.py PretrainConv,
// GetMask, set_prune_rate, final_pop_up; cifar.py generate_pr_cfg, adjust_rate, pop_up).
export const jackpot: TechniqueEntry = {
  name: 'jackpot',
  kind: 'prune_method',
  summary: 'Lottery Jackpots: find a sparse subnetwork in frozen pretrained weights by searching its mask (Zhang et al., 2023).',
  doc: 'Keeps the pruned layers\' pretrained weights W₀ frozen (bit-identical; the export holds W₀ ⊙ b) and trains a score per weight instead: the optimizer (its `lr`, momentum and weight decay) updates the scores, the forward pass uses W₀ ⊙ b with the binary mask b, and the gradient reaches the scores straight through (GetMask). b starts as the magnitude mask at the block\'s `sparsity`, with each layer\'s rate from one global |w| threshold (`l1`) or the same rate everywhere (`uniform`); scores start at 1 (kept) and 0.99 (pruned). After every step the pruned weights whose score rose above the prune-th smallest score swap with the kept ones that fell to it, when the two sets are the same size, so each layer keeps its count. The swap share is ⌈(1 − epoch/E)⁴⌉, which the official code\'s ceiling makes 1 (all of them) in every epoch but the last. Use it on a pretrained model, `model onnx("…")`, with `from = 0ep`. On an imported model it searches every weight matrix or kernel that trains: freeze the classifier and every other tensor (`freeze = […]`), as the official code freezes every weight and keeps fc dense.',
  rule: 'W̃ = W₀ ⊙ b,  ∂L/∂s = ∂L/∂W̃ ⊙ W₀;  after each step: θ = s_(prune);  R = {b = 0, s > θ}, K = {b = 1, s ≤ θ};  |R| = |K| > 0 ⇒ swap the top ⌈|R|·⌈(1 − e/E)⁴⌉⌉ of each',
  paper: { title: 'Lottery Jackpots Exist in Pre-trained Models', authors: 'Y. Zhang, M. Lin, Y. Zhong, F. Chao, R. Ji', year: 2023, url: 'https://arxiv.org/abs/2104.08700' },
  params: [
    {
      name: 'layerwise',
      type: { kind: 'enum', members: [
        { name: 'l1', doc: 'One global magnitude threshold over the searched layers sets each layer\'s rate (the official default).' },
        { name: 'uniform', doc: 'Every searched layer prunes the block\'s sparsity.' },
      ] },
      default: 'l1',
      positional: true,
      doc: 'How the initial magnitude mask spreads the sparsity over the layers.',
    },
  ],
};
