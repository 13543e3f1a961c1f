import type { TechniqueEntry } from '../schema';
import { affineParam, epsParam } from './common';

export const batch: TechniqueEntry = {
  name: 'batch',
  kind: 'norm',
  summary: 'Batch normalization: standardize each feature over the batch, with running statistics for evaluation.',
  doc: 'While training, normalizes each feature (each channel, for conv layers) with the mean and biased variance of the current batch and updates running estimates (with the unbiased variance); evaluation uses the running estimates. Follows PyTorch `nn.BatchNorm1d/2d`. Batches of one example cannot be normalized; sharpness-aware wrappers freeze the running statistics in their extra passes.',
  rule: 'train: y = γ ⊙ (x − μ_B)/√(σ²_B + ε) + β;  r_μ ← (1 − m) r_μ + m μ_B;  r_σ² ← (1 − m) r_σ² + m σ²_B·n/(n − 1);  eval: y = γ ⊙ (x − r_μ)/√(r_σ² + ε) + β',
  paper: { title: 'Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift', authors: 'S. Ioffe, C. Szegedy', year: 2015, url: 'https://arxiv.org/abs/1502.03167' },
  params: [
    epsParam,
    { name: 'momentum', type: { kind: 'number', min: 0, max: 1 }, default: 0.1, doc: 'Weight m of the current batch in the running statistics (PyTorch convention: new = (1 − m)·old + m·batch).' },
    affineParam,
  ],
  rules: [
    { severity: 'warning', param: 'momentum', message: 'momentum = 0 never updates the running statistics, so evaluation uses their initial values (mean 0, variance 1)', when: (a) => a['momentum'] === 0 },
  ],
};
