import type { TechniqueEntry } from '../schema';

export const gelu: TechniqueEntry = {
  name: 'gelu',
  kind: 'activation',
  summary: 'Gaussian error linear unit: f(x) = x·Φ(x), exact (erf) form.',
  doc: 'Weights each input by the standard normal CDF of itself. Minima uses the exact erf form, which is PyTorch\'s default (`approximate=\'none\'`), not the tanh approximation; the two differ by less than 1e-3.',
  rule: 'f(x) = x·Φ(x) = ½x(1 + erf(x/√2));  f\'(x) = Φ(x) + x·φ(x)',
  paper: { title: 'Gaussian Error Linear Units (GELUs)', authors: 'D. Hendrycks, K. Gimpel', year: 2016, url: 'https://arxiv.org/abs/1606.08415' },
  params: [],
};
