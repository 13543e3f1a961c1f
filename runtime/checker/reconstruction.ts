// Autoencoders (catalog A33 least_volume): `data { target = input }` makes the model's output a
// reconstruction of the flattened input, so the data's shape becomes a regression with one target
// per input feature (what M029 checks the model's output against). least_volume's own rules:
// its latent layer must be followed by a decoder layer; the decoder should be Lipschitz
// (`norm: spectral`, a warning per layer without it); it is meant for target = input (a
// warning); and a reconstruction needs a regression loss (an error at `loss`).

import { isLayerRef, isList, isTechnique, type DataShape, type PlanValue } from '../catalog';
import { CODES } from '../language';
import { report, type Ctx } from './context';
import type { Parts } from './crossblock';
import type { ModelResult } from './model';

/** The data shape the model's output is checked against: with target = input, one target per input feature. */
export function reconstructionShape(target: PlanValue | undefined, shape: DataShape | undefined): DataShape | undefined {
  if (target !== 'input' || !shape) return shape;
  const features = shape.input?.reduce<number | undefined>((a, d) => (a !== undefined && typeof d === 'number' ? a * d : undefined), 1);
  return { ...(shape.input ? { input: shape.input } : {}), task: 'regression', ...(features !== undefined ? { targets: features } : {}), ...(shape.examples !== undefined ? { examples: shape.examples } : {}) };
}

export function checkLeastVolume(ctx: Ctx, parts: Parts, model: ModelResult): void {
  const data = parts.blocks.get('data');
  const train = parts.blocks.get('train');
  const reconstruct = data?.attrs['target'] === 'input';
  const loss = train?.attrs['loss'];
  if (reconstruct && isTechnique(loss) && loss.name === 'cross_entropy') {
    report(ctx, CODES.shapeMismatch, 'error', train?.written.get('loss')?.value.span ?? data?.written.get('target')?.value.span ?? train!.node.keyword.span, 'target = input makes the output a reconstruction of the input: train it with loss = mse, not cross_entropy');
  }
  const regs = train?.attrs['regularizers'];
  const use = isList(regs) ? regs.filter(isTechnique).find((r) => r.name === 'least_volume') : undefined;
  if (!use || !train) return;
  const at = train.written.get('regularizers')?.value.span ?? train.node.keyword.span;
  if (!reconstruct) report(ctx, CODES.unusualValue, 'warning', at, 'least_volume compresses an autoencoder\'s latent space: the data block should set target = input');
  const latent = use.args['latent'];
  const layers = model.layers;
  if (!isLayerRef(latent) || !layers) return;
  const k = layers.findIndex((l) => l.name === latent.name);
  if (k < 0) return;
  const own = layers[k]!;
  const act = own.use.args['act'];
  const norm = own.use.args['norm'];
  if ((isTechnique(act) && act.name !== 'identity') || (isTechnique(norm) && norm.name !== 'none') || own.weights.length === 0) {
    report(ctx, CODES.layerRule, 'error', at, `least_volume: the latent layer ${latent.name} must be a plain affine layer (no act, no norm), as the official encoder ends in a Linear: its output is the code z`);
    return;
  }
  const decoder = layers.slice(k + 1).filter((l) => l.weights.length > 0);
  if (decoder.length === 0) {
    report(ctx, CODES.layerRule, 'error', at, `least_volume: ${latent.name} is the model's last weighted layer; its output must feed a decoder layer`);
    return;
  }
  const plain = decoder.filter((l) => !(isTechnique(l.use.args['norm']) && l.use.args['norm'].name === 'spectral'));
  if (plain.length > 0) report(ctx, CODES.unusualValue, 'warning', at, `least_volume needs a Lipschitz decoder: ${plain.map((l) => l.name).join(', ')} ${plain.length === 1 ? 'has' : 'have'} no norm: spectral, so the volume can shrink by scaling the decoder up`);
}
