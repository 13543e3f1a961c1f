import type { TechniqueEntry } from '../schema';
import { distributionParam } from './common';

export const he: TechniqueEntry = {
  name: 'he',
  kind: 'init',
  summary: 'He (Kaiming) initialization: variance 2/fan, for ReLU networks.',
  doc: 'Draws each weight with variance 2/fan, where fan is the input size (`fan_in`, which keeps forward activations stable) or output size (`fan_out`, which keeps backward gradients stable) times the kernel area, as PyTorch `kaiming_normal_`/`kaiming_uniform_` with the ReLU gain √2. Biases start at zero. The default initialization.',
  rule: 'std = √2 / √fan;  fan = in·kh·kw (fan_in) or out·kh·kw (fan_out);  W ~ N(0, std²) or U(−√3·std, √3·std)',
  paper: { title: 'Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet Classification', authors: 'K. He, X. Zhang, S. Ren, J. Sun', year: 2015, url: 'https://arxiv.org/abs/1502.01852' },
  params: [
    {
      name: 'mode',
      type: { kind: 'enum', members: [
        { name: 'fan_in', doc: 'Use the number of inputs per output: preserves the variance of activations in the forward pass.' },
        { name: 'fan_out', doc: 'Use the number of outputs per input: preserves the variance of gradients in the backward pass.' },
      ] },
      default: 'fan_in',
      doc: 'Which fan the variance is divided by.',
    },
    distributionParam('normal'),
  ],
};
