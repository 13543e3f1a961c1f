import type { TechniqueEntry } from '../schema';
import { affineParam, epsParam } from './common';

const alpha = { kind: 'number', min: 0, max: 1, minExclusive: true, maxExclusive: true } as const;

export const online: TechniqueEntry = {
  name: 'online',
  kind: 'norm',
  summary: 'Online normalization: per-feature running statistics updated sample by sample, with a control process in the backward pass; batch-size independent.',
  doc: 'Normalizes each feature of a dense layer\'s output with exponentially decaying mean and variance estimates that are updated one sample at a time, in batch order, using only the samples before the current one; the estimates carry over from batch to batch, so the result does not depend on the batch size. The backward pass is not the derivative of those statistics: it is the official control process, which keeps two more per-feature states (u, v), carried across batches, that are subtracted from the gradient sample by sample (see the rule), each with decay α_b. Then the affine γ, β, then an error check: `ac` clamps the output to ±clamp, `ls` (layer scaling) divides each sample by √(mean over its features of y² + ls_eps). Follows the official Cerebras/online-normalization code (`online-norm-1d.py`). Evaluation normalizes with the current estimates without updating them (the catalog does not state the evaluation form; this is the stationary training forward). Dense layers only (the convolutional variant is not specified in the catalog).',
  rule: 'train, per sample t: y_t = (x_t − μ)/s_t, s_t = √(σ² + ε);  σ² ← α_f σ² + α_f(1 − α_f)(x_t − μ)²;  μ ← μ + (1 − α_f)(x_t − μ).  backward, per sample: g′ = g_t − (1 − α_b)·v·y_t;  v ← v + g′·y_t;  g′ ← g′/s_t;  ∂x_t = g′ − (1 − α_b)·u;  u ← u + ∂x_t.  then y = γ ⊙ y + β, then clamp (ac) or layer scaling (ls)',
  paper: { title: 'Online Normalization for Training Neural Networks', authors: 'V. Chiley, I. Sharapov, A. Kosson, U. Koster, R. Reece, S. Samaniego de la Fuente, V. Subbiah, M. James', year: 2019, url: 'https://arxiv.org/abs/1905.05894' },
  params: [
    { name: 'alpha_fwd', type: alpha, default: 0.999, doc: 'Decay α_f of the forward mean and variance estimates, in (0, 1).' },
    { name: 'alpha_bkw', type: alpha, default: 0.99, doc: 'Decay α_b of the backward control process\'s states u and v, in (0, 1).' },
    epsParam,
    affineParam,
    {
      name: 'ecm',
      type: { kind: 'enum', members: [
        { name: 'ac', doc: 'Activation clamping: clamp the output to ±clamp (no gradient beyond the bound).' },
        { name: 'ls', doc: 'Layer scaling: divide each sample by √(mean of y² over its features + ls_eps).' },
        { name: 'none', doc: 'No error check.' },
      ] },
      default: 'ac',
      doc: 'Error-checking mechanism applied after the affine part.',
    },
    { name: 'clamp', type: { kind: 'number', min: 0, minExclusive: true }, default: 5, doc: 'Bound of the activation clamp (`ecm: ac`).' },
    { name: 'ls_eps', type: { kind: 'number', min: 0, minExclusive: true }, default: 1e-5, doc: 'Term added to the mean square in layer scaling (`ecm: ls`).' },
  ],
};
