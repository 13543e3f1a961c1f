import type { TechniqueEntry } from '../schema';

export const spectral: TechniqueEntry = {
  name: 'spectral',
  kind: 'norm',
  summary: 'Spectral normalization: divide the weight by its largest singular value (power iteration).',
  doc: 'Divides the weight, viewed as a matrix (out, in·kh·kw), by an estimate of its largest singular value, so the layer is about 1-Lipschitz. The estimate comes from `iters` power iterations per training step on a persistent vector u, as PyTorch `spectral_norm`; evaluation reuses u. For conv layers this normalizes the reshaped kernel, not the convolution operator.',
  rule: 'repeat iters: v = normalize(Wᵀu, ε), u = normalize(Wv, ε) (no gradient through u, v);  σ = uᵀWv;  W_SN = W/σ',
  paper: { title: 'Spectral Normalization for Generative Adversarial Networks', authors: 'T. Miyato, T. Kataoka, M. Koyama, Y. Yoshida', year: 2018, url: 'https://arxiv.org/abs/1802.05957' },
  params: [
    { name: 'iters', type: { kind: 'number', integer: true, min: 1 }, default: 1, doc: 'Power iterations per training step (`n_power_iterations`).' },
    { name: 'eps', type: { kind: 'number', min: 0, minExclusive: true }, default: 1e-12, doc: 'Term ε that keeps the vector normalization from dividing by zero.' },
  ],
};
