import type { TechniqueEntry } from '../schema';

export const least_volume: TechniqueEntry = {
  name: 'least_volume',
  kind: 'regularizer',
  summary: 'Least Volume: shrink an autoencoder\'s latent space to the few dimensions it needs.',
  doc: 'Adds λ times the latent "volume", the geometric mean of the per-dimension standard deviations of the latent code z over the batch, exp(mean_i log(std(z_i) + η)), to the loss (official IDEALLab/Least_Volume_ICLR2024, VolumeAE in src/model/sparsity.py; the unbiased std, as torch\'s `z.std(0)`). z is the output of the `latent` layer, as the next layer reads it. Meant for autoencoders (`data { target = input }` with `loss = mse`); the decoder (the layers after `latent`) should be Lipschitz, e.g. `norm: spectral` on each, or the penalty is gamed by shrinking z and scaling the decoder up. Reports `latent_volume` and `latent_dims` (dimensions whose std is at least η) every epoch. The dynamic pruning variant (DynamicPruningAE) is not implemented.',
  rule: 'L = L_rec + λ·exp((1/d)·Σ_i log(std_batch(z_i) + η))',
  paper: { title: 'Compressing Latent Space via Least Volume', authors: 'Q. Chen, M. Fuge', year: 2024, url: 'https://arxiv.org/abs/2404.17773' },
  params: [
    { name: 'latent', type: { kind: 'layer' }, required: true, doc: 'The bottleneck layer whose output is the latent code z.' },
    { name: 'weight', type: { kind: 'number', min: 0 }, default: 1e-3, doc: 'λ, the weight of the volume term (the official loss weights are [1, 1e-3]).' },
    { name: 'eta', type: { kind: 'number' }, default: 1e-2, doc: 'η added to every std before the log (VolumeAE: 1e-2).' },
  ],
  rules: [
    { severity: 'warning', param: 'eta', message: 'eta ≤ 0: the log of a collapsed dimension\'s std is −∞ (or undefined)', when: (a) => typeof a['eta'] === 'number' && a['eta'] <= 0 },
    { severity: 'warning', param: 'weight', message: 'weight = 0 makes least_volume a no-op', when: (a) => a['weight'] === 0 },
  ],
};
