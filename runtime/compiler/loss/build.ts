// buildLoss: `loss = cross_entropy(smoothing: ε)` or `loss = mse` as a scalar graph value.

import type { GraphBuilder } from '../builder';
import type { Value } from '../ir';
import { add, mul } from '../ops/binary';
import { meanSquaredError } from '../ops/derived';
import { softmaxCrossEntropy } from '../ops/softmax';
import { showShape } from '../shape';

/** A resolved loss technique (a catalog TechniqueUse is assignable to it). */
export interface LossUse {
  readonly name: string;
  readonly args: Readonly<Record<string, unknown>>;
}

/**
 * cross_entropy: `output` are logits [B, C] and `target` is one-hot [B, C] (float, same dtype).
 * With smoothing ε the target becomes q = (1 − ε)·onehot + ε/C and the loss is
 * −(1/B) Σ_b Σ_c q_c·log softmax(z)_c, which is exactly PyTorch's
 * CrossEntropyLoss(label_smoothing=ε) with class-index targets (or with these one-hot targets).
 * mse: mean over batch and targets of (output − target)², PyTorch MSELoss(reduction='mean').
 * Throws on an unknown loss (the checker only lets catalog losses through).
 */
export function buildLoss(_g: GraphBuilder, loss: LossUse, output: Value, target: Value): Value {
  switch (loss.name) {
    case 'cross_entropy': {
      const smoothing = loss.args['smoothing'];
      const eps = typeof smoothing === 'number' ? smoothing : 0;
      const classes = output.shape[output.shape.length - 1];
      if (typeof classes !== 'number') throw new Error(`cross_entropy: logits ${showShape(output.shape)} need a static class dim`);
      const q = eps === 0 ? target : add(mul(target, 1 - eps), eps / classes);
      return softmaxCrossEntropy(output, q);
    }
    case 'mse':
      return meanSquaredError(output, target);
    default:
      throw new Error(`buildLoss: unknown loss ${loss.name}`);
  }
}
