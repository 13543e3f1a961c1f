import type { TechniqueEntry } from '../schema';
import { baseParam } from './common';

export const dp_sat: TechniqueEntry = {
  name: 'dp_sat',
  kind: 'wrapper',
  summary: 'Differentially private sharpness-aware training: DP-SGD whose per-example gradients are taken at the point the previous private gradient points to.',
  doc: 'DP-SGD as Opacus runs it, with DP-SAT\'s perturbation (official JinseongP/DPSAT, minimizer.py): each step moves the weights by e = ρ·ĝ/‖ĝ‖ along the previous step\'s privatized gradient ĝ (e = 0 at the first step), takes every example\'s gradient there, clips each to norm `clip` (factor min(1, C/(‖g_i‖ + 1e-6))), sums them, adds Gaussian noise N(0, (σC)²) to every coordinate, divides by the batch size, restores the weights and hands that gradient to the base optimizer. The perturbation only reuses a released gradient, so it costs no privacy, and there is one per-example gradient computation per step. With `rho: 0` it is DP-SGD. The privacy spent is reported every epoch as `epsilon` at the given `delta`, by the RDP accountant of the sampled Gaussian mechanism as in Opacus (sample rate = batch / training examples; Minima draws shuffled fixed-size batches rather than Poisson samples, the usual approximation). Per-example gradients run the model in evaluation mode (no dropout; batch norm with its running statistics — Opacus refuses batch norm).',
  rule: 'e = ρ ĝ_{t−1}/‖ĝ_{t−1}‖ (0 at t = 0);  g_i = ∇ℓ_i(w + e);  ĝ_t = (Σ_i g_i·min(1, C/(‖g_i‖ + 1e-6)) + N(0, σ²C²I)) / B;  base.step(w, ĝ_t);  ε = min_α RDP_α(q, σ)·t − (log δ + log α)/(α − 1) + log((α − 1)/α)',
  paper: { title: 'Differentially Private Sharpness-Aware Training', authors: 'J. Park, H. Kim, Y. Choi, J. Lee', year: 2023, url: 'https://arxiv.org/abs/2306.05651' },
  baseParam: 'base',
  params: [
    { name: 'rho', type: { kind: 'number', min: 0 }, default: 0.5, doc: 'Perturbation radius ρ (the official class default); 0 gives DP-SGD.' },
    { name: 'clip', type: { kind: 'number', min: 0, minExclusive: true }, default: 1, doc: 'Per-example gradient norm bound C (Opacus `max_grad_norm`).' },
    { name: 'noise', type: { kind: 'number', min: 0 }, default: 1, doc: 'Noise multiplier σ: the noise standard deviation is σ·C.' },
    { name: 'delta', type: { kind: 'number', min: 0, max: 1, minExclusive: true, maxExclusive: true }, default: 1e-5, doc: 'δ of the reported (ε, δ) guarantee; keep it well below 1/(training examples).' },
    baseParam,
  ],
  rules: [
    { severity: 'warning', param: 'noise', message: 'noise = 0 adds no noise: the training is not differentially private (ε = ∞)', when: (a) => a['noise'] === 0 },
  ],
};
