import type { TechniqueEntry } from '../schema';
import { isTechnique } from '../values';
import { activationParam, biasParam, biasWeights, hasAffineNorm, imageInput, normParam, normWeights, windowOutput } from './common';

const positiveInt = { kind: 'number', integer: true, min: 1 } as const;

export const conv2d: TechniqueEntry = {
  name: 'conv2d',
  kind: 'layer',
  summary: '2-D convolution: y = act(norm(W ⋆ x + b)) over an image [channels, height, width].',
  doc: 'A 2-D convolution with `channels` output channels and a square `kernel`, as PyTorch `nn.Conv2d`, followed by an optional normalization and an activation. `pad` zeros are added on every side; `groups` splits input and output channels into groups that are convolved separately (both channel counts must be divisible by it). Its kernel has shape (channels, in/groups, k, k); N:M groups and low-rank views run along in/groups·k·k. `norm: layer` normalizes each example over (channels, height, width) with per-channel γ, β (GroupNorm with one group); `norm: batch` is BatchNorm2d.',
  rule: 'y[o, i, j] = act(norm(b[o] + Σ_{c ∈ group(o)} Σ_{u,v} W[o, c, u, v] · x_pad[c, i·s + u, j·s + v])),  out size = ⌊(n + 2·pad − k)/s⌋ + 1',
  paper: { title: 'Gradient-based learning applied to document recognition', authors: 'Y. LeCun, L. Bottou, Y. Bengio, P. Haffner', year: 1998, url: 'https://doi.org/10.1109/5.726791' },
  params: [
    { name: 'channels', type: positiveInt, required: true, positional: true, doc: 'Number of output channels.' },
    { name: 'kernel', type: positiveInt, default: 3, doc: 'Side k of the square kernel.' },
    { name: 'stride', type: positiveInt, default: 1, doc: 'Step s between kernel positions.' },
    { name: 'pad', type: { kind: 'number', integer: true, min: 0 }, default: 0, doc: 'Zeros added on each side of the input (`pad: 1` keeps the size of a 3×3 convolution with stride 1).' },
    { name: 'groups', type: positiveInt, default: 1, doc: 'Number of channel groups convolved separately (the input channel count for a depthwise convolution).' },
    activationParam,
    normParam,
    biasParam,
  ],
  rules: [
    { severity: 'error', param: 'groups', message: 'channels must be divisible by groups', when: (a) => typeof a['channels'] === 'number' && typeof a['groups'] === 'number' && a['channels'] % a['groups'] !== 0 },
    { severity: 'error', param: 'norm', message: 'norm: online applies to dense layers only (its convolutional form is not implemented)', when: (a) => isTechnique(a['norm']) && a['norm'].name === 'online' },
  ],
  layer: {
    hasNorm: hasAffineNorm,
    infer: (input, args) => {
      const image = imageInput('conv2d', input);
      if (!image.ok) return image;
      const { channels, kernel, stride, pad, groups } = args;
      if (typeof channels !== 'number' || typeof kernel !== 'number' || typeof stride !== 'number' || typeof pad !== 'number' || typeof groups !== 'number') {
        return { ok: false, message: 'conv2d needs numeric channels, kernel, stride, pad and groups' };
      }
      if (image.c % groups !== 0) return { ok: false, message: `the input's ${image.c} channels are not divisible by groups = ${groups}` };
      if (channels % groups !== 0) return { ok: false, message: `channels = ${channels} is not divisible by groups = ${groups}` };
      const oh = windowOutput(image.h, kernel, stride, pad);
      const ow = windowOutput(image.w, kernel, stride, pad);
      if (oh === undefined || ow === undefined) {
        return { ok: false, message: `kernel ${kernel} is larger than the ${pad > 0 ? 'padded ' : ''}${image.h + 2 * pad}×${image.w + 2 * pad} input` };
      }
      const reduction = (image.c / groups) * kernel * kernel;
      return {
        ok: true,
        output: [channels, oh, ow],
        weights: [
          { name: 'weight', shape: [channels, image.c / groups, kernel, kernel], reduction, compressible: true },
          ...biasWeights(args, channels),
          ...normWeights(args, channels),
        ],
        flops: 2 * channels * reduction * oh * ow,
      };
    },
  },
};
