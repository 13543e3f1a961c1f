import type { TechniqueEntry } from '../schema';
import { baseParam } from './common';

export const bloop: TechniqueEntry = {
  name: 'bloop',
  kind: 'wrapper',
  summary: 'Bloop: an auxiliary loss whose gradient is projected off an EMA of the main gradient.',
  doc: 'Bloop (official apple/ml-bloop, JAX) adds an auxiliary loss (`aux`, written in the recipe) without letting it fight the main loss: the auxiliary gradient is projected onto the orthogonal complement of an exponential moving average ḡ of the main gradient, so to first order it only moves the weights along directions the main loss does not care about. One forward/backward pass per step; the auxiliary terms on offer depend on the weights only (`l2` = ½Σ‖W‖², `l1` = Σ|W|, over the weights with two or more dimensions). `ema` is the weight of the NEW gradient (ḡ ← ḡ + a(g − ḡ)), so a = 1 keeps no history and a = 0 freezes ḡ; note that the official ImageNet example\'s ema = 0.99 therefore averages almost nothing. `init: grad` starts ḡ at the first main gradient (the library default); `zeros` at 0 (the library\'s `random` init is not offered). Variants: `dynamic_barrier` caps r at 1/λ; `ratio_only` steps with (1 − λr)g + λg_aux; `mixed` skips the projection (d = g + λg_aux, ḡ unchanged). The library\'s `rescale` option is left out: it computes (1.0/1.0 + λ) = 1 + λ, not 1/(1 + λ). Each step reports `aux_loss` and the projection ratio `bloop_ratio` r.',
  rule: 'ḡ ← ḡ + a(g_main − ḡ);  r = ⟨ḡ, g_aux⟩/(‖ḡ‖² + 1e-7);  π = g_aux − r ḡ;  d = g_main + λπ;  base.step(w, d)',
  paper: { title: 'Careful with that Scalpel: Improving Gradient Surgery with an EMA', authors: 'Y.-G. Hsieh, J. Thornton, E. Ndiaye, M. Klein, M. Cuturi, P. Ablin', year: 2024, url: 'https://arxiv.org/abs/2402.02998' },
  baseParam: 'base',
  params: [
    {
      name: 'aux',
      type: { kind: 'enum', members: [
        { name: 'l2', doc: 'The auxiliary loss ½Σ‖W‖² over the weights with two or more dimensions (matrices and kernels; not biases or norm gains).' },
        { name: 'l1', doc: 'The auxiliary loss Σ|W| over the weights with two or more dimensions (its gradient is sign(W)).' },
      ] },
      required: true,
      doc: 'The auxiliary loss whose gradient is projected: `l2` or `l1` over the weight matrices and kernels.',
    },
    { name: 'lambda', type: { kind: 'number', min: 0 }, default: 0.1, doc: 'Weight λ of the projected auxiliary gradient (`lbda` in the code).' },
    { name: 'ema', type: { kind: 'number', min: 0, max: 1 }, default: 0.1, doc: 'Weight a of the new main gradient in its moving average ḡ ← ḡ + a(g − ḡ).' },
    {
      name: 'init',
      type: { kind: 'enum', members: [
        { name: 'grad', doc: 'ḡ starts at the first step\'s main gradient (the library default).' },
        { name: 'zeros', doc: 'ḡ starts at zero, so the first step\'s ḡ is a·g.' },
      ] },
      default: 'grad',
      doc: 'How the moving average ḡ starts.',
    },
    {
      name: 'direction',
      type: { kind: 'enum', members: [
        { name: 'bloop', doc: 'd = g + λ(g_aux − r ḡ) (`bloop_direction`).' },
        { name: 'dynamic_barrier', doc: 'The same with r capped at 1/λ (`dynamic_barrier_direction`).' },
        { name: 'mixed', doc: 'd = g + λ g_aux without projection; ḡ is not updated (`mixed_direction`).' },
      ] },
      default: 'bloop',
      doc: 'How the auxiliary gradient enters the step.',
    },
    { name: 'ratio_only', type: { kind: 'bool' }, default: false, doc: 'Step with (1 − λr) g + λ g_aux: the projection moved onto the main gradient (`use_ratio_only`).' },
    baseParam,
  ],
  rules: [
    { severity: 'warning', param: 'lambda', message: 'lambda = 0: the auxiliary loss has no effect and the wrapper is its base optimizer', when: (a) => a['lambda'] === 0 },
    { severity: 'warning', param: 'ema', message: 'ema = 0 freezes the moving average at its start (ema is the weight of the new gradient)', when: (a) => a['ema'] === 0 },
    { severity: 'warning', param: 'ratio_only', message: 'ratio_only has no effect with direction: mixed, which does not project', when: (a) => a['ratio_only'] === true && a['direction'] === 'mixed' },
  ],
};
