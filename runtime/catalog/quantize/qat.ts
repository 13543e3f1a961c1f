import type { TechniqueEntry } from '../schema';

export const qat: TechniqueEntry = {
  name: 'qat',
  kind: 'quantize_method',
  summary: 'Quantization-aware training: train with fake quantization from `from` on.',
  doc: 'From the quantize block\'s `from` on, the forward pass uses quantized-then-dequantized weights and activations, so training adapts to the rounding. Rounding has no useful gradient, so the backward pass uses a straight-through estimator (`ste`: gradient 1 inside the clipping range, 0 outside) or additionally learns the step size s (`lsq`). With `lsq` each quantized weight gets a trainable step size (per channel or per tensor, as `per_channel` says), initialized when QAT starts and trained by the recipe\'s optimizer with its own state from `from` on (as torch adds a new parameter then); under a sharpness-aware wrapper s takes the gradient at the unperturbed weights. The export uses the learned step sizes. LSQ is symmetric; with `symmetric = false` the zero point is fixed at its min–max value when QAT starts and only s is learned. Adam-like optimizers move s by about `lr` per step whatever its size (the gradient scale has no effect on them), which is coarse at high bit widths: the paper trains s with SGD.',
  rule: 'forward: x̂ = s·(clamp(round(x/s), q_min, q_max));  STE: ∂x̂/∂x = 1[q_min ≤ x/s ≤ q_max];  LSQ: ∂x̂/∂s = round(x/s) − x/s inside, q_min or q_max outside, scaled by 1/√(N·q_max), init s = 2·mean|w|/√q_max',
  paper: { title: 'Learned Step Size Quantization', authors: 'S. K. Esser, J. L. McKinstry, D. Bablani, R. Appuswamy, D. S. Modha', year: 2020, url: 'https://arxiv.org/abs/1902.08153' },
  params: [
    {
      name: 'estimator',
      type: { kind: 'enum', members: [
        { name: 'ste', doc: 'Clipped straight-through estimator; the scales are the min–max of the current weights, recomputed every step.' },
        { name: 'lsq', doc: 'Learned step size: the step size s of each quantizer is a trained parameter, starting at 2·mean|w|/√q_max, its gradient scaled by 1/√(N·q_max).' },
      ] },
      default: 'ste',
      positional: true,
      doc: 'How gradients pass through the rounding.',
    },
  ],
};
