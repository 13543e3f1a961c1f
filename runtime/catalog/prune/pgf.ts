import type { TechniqueEntry } from '../schema';
import { nonNegativeDurationRule } from '../rules';

// Catalog A45, read in the official abhibambhaniya/progressive_gradient_flow_nm_sparsity
// (timm/sparse_pruning/sparse_functions.py: get_sparse_mask, LinearDecay, ExponentialDecay,
// StepDecay, SparseLinear; readme_sparsity.md). Decisions where the code and the description differ:
// t is the global step (the code's current_step_num, not the step since `from`); the binary
// fine-tune starts `fine_tune` before `to` (the code's `current_epoch > total − fine_tune` starts it
// one epoch later); only the README's "sparsify" structure decay is implemented (the code's only
// one); the SR-STE variant is the `srste` method.
export const pgf: TechniqueEntry = {
  name: 'pgf',
  kind: 'prune_method',
  summary: 'Progressive Gradient Flow for N:M sparsity: pruned weights fade out of the forward pass (Bambhaniya et al., 2024).',
  doc: 'Recomputes the N:M magnitude mask m from the dense weights every step between `from` and `to`, and runs the forward pass with W ⊙ (m + (1 − m)·d_t): the pruned weights still contribute, scaled by a factor d_t that decays with the global step t, while the gradient passes straight through to all weights. `linear`: d_t = max(0, 1 − c·t); `exp`: d_t = e^(−c·t); `step`: d_t = 0 (plain N:M training with a dense gradient). With `structure: true` the pattern itself decays in log2(M/N) equal frames, (M−1):M, M/2:M, M/4:M, …, down to N:M (the README\'s "sparsify" preset), which M/N a power of two allows. The last `fine_tune` of the window uses the binary mask (d = 0); at `to` the mask is fixed and pruned weights are held at zero. Needs an N:M `pattern`. The official code has no default for c; 1e-3 is Minima\'s.',
  rule: 'm = top-N of |W| per M-group (every step);  W̃ = W ⊙ (m + (1 − m)·d_t), ∇_W = ∇_W̃ L;  d_t = max(0, 1 − c·t) | e^(−c·t) | 0;  d_t = 0 during the last `fine_tune` before `to`',
  paper: { title: 'Progressive Gradient Flow for Robust N:M Sparsity Training in Transformers', authors: 'A. R. Bambhaniya, A. Yazdanbakhsh, S. Subramanian, S.-C. Kao, S. Agrawal, U. Evci, T. Krishna', year: 2024, url: 'https://arxiv.org/abs/2402.04744' },
  params: [
    {
      name: 'decay',
      type: { kind: 'enum', members: [
        { name: 'linear', doc: 'd_t = max(0, 1 − c·t): the pruned weights fade out linearly and are gone after 1/c steps.' },
        { name: 'exp', doc: 'd_t = e^(−c·t): the pruned weights fade out exponentially.' },
        { name: 'step', doc: 'd_t = 0: the binary N:M mask from `from` on, with a dense straight-through gradient.' },
      ] },
      default: 'linear',
      positional: true,
      doc: 'How the pruned weights\' factor d_t decays with the global step t.',
    },
    { name: 'coef', type: { kind: 'number', min: 0, max: 1 }, default: 1e-3, doc: 'Decay coefficient c of `linear` and `exp` (official range 0–1).' },
    { name: 'structure', type: { kind: 'bool' }, default: false, doc: 'Structure decay: start at (M−1):M and halve N in equal frames down to the pattern\'s N:M.' },
    { name: 'fine_tune', type: { kind: 'duration' }, default: { kind: 'duration', value: 0, unit: 'ep' }, doc: 'The last part of the window, before `to`, trained with the binary mask (d = 0).' },
  ],
  rules: [
    nonNegativeDurationRule('fine_tune'),
    { severity: 'warning', param: 'coef', message: 'coef = 0 keeps d_t = 1: the forward pass stays dense until the fine-tune', when: (a) => a['coef'] === 0 && a['decay'] !== 'step' },
  ],
};
