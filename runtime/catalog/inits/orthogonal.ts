import type { TechniqueEntry } from '../schema';
import { gainParam } from './common';

export const orthogonal: TechniqueEntry = {
  name: 'orthogonal',
  kind: 'init',
  summary: 'Orthogonal initialization: a (semi-)orthogonal weight matrix times a gain.',
  doc: 'Sets each weight, viewed as a matrix (out, in·kh·kw), to a random (semi-)orthogonal matrix from the QR decomposition of a Gaussian matrix (signs fixed by diag(R)), times `gain`, as PyTorch `orthogonal_`. All singular values equal `gain`, so deep linear networks keep their signal norm. Biases start at zero.',
  rule: 'A ~ N(0, 1)^{rows×cols};  QR = A (of Aᵀ if rows < cols);  Q ← Q·sign(diag R);  W = gain·Q',
  paper: { title: 'Exact solutions to the nonlinear dynamics of learning in deep linear neural networks', authors: 'A. M. Saxe, J. L. McClelland, S. Ganguli', year: 2014, url: 'https://arxiv.org/abs/1312.6120' },
  params: [gainParam],
};
