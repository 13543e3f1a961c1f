import type { TechniqueEntry } from '../schema';

export const conv_aware: TechniqueEntry = {
  name: 'conv_aware',
  kind: 'init',
  summary: 'Convolution-aware initialization: orthogonal filters in the Fourier domain, He variance.',
  doc: 'Builds each conv filter bank from orthogonal bases in the space of the kernel\'s 2-D real Fourier coefficients, maps them back to the spatial domain, adds Gaussian noise of standard deviation `eps_std` and rescales all filters to the He variance 2/fan_in (keras-contrib `ConvolutionAware`). Dense layers, which have no spatial kernel, get `orthogonal` initialization scaled to the same variance.',
  rule: 'F = kh·(⌊kw/2⌋ + 1);  per output filter: rows of Uᵀ from the SVD of symmetric Gaussian F×F matrices (⌊in/F⌋ + 1 of them), first `in` rows;  each row → irfft2 to kh×kw, + N(0, eps_std²);  scale all by √((2/fan_in)/var(W))',
  paper: { title: 'Convolution Aware Initialization', authors: 'A. Aghajanyan', year: 2017, url: 'https://arxiv.org/abs/1702.06295' },
  params: [
    { name: 'eps_std', type: { kind: 'number', min: 0 }, default: 0.05, doc: 'Standard deviation of the noise added to each spatial filter before rescaling.' },
  ],
};
