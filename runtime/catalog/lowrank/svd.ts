import type { TechniqueEntry } from '../schema';

export const svd: TechniqueEntry = {
  name: 'svd',
  kind: 'lowrank',
  summary: 'Truncated SVD: replace each weight matrix by two thin factors, by retained energy or rank.',
  doc: 'Factorizes each selected weight (conv kernels viewed as (out, in·kh·kw)) once, at `from`, as W ≈ (U_k S_k)(V_kᵀ), and trains the two factors from then on. The rank k is set either by `energy` (the smallest k keeping that share of Σσ²) or directly by `rank`; write exactly one of the two, e.g. `svd(energy: 0.99)` or `svd(rank: 16)`. By Eckart–Young the truncation is the best rank-k approximation in Frobenius norm. A factorization saves parameters only when k < out·in/(out + in).',
  rule: 'W = USVᵀ;  k = min{i : Σ_{j≤i} σ_j² ≥ energy·Σ_j σ_j²} or k = rank;  W ≈ A·B with A = U_k S_k (out×k), B = V_kᵀ (k×in)',
  paper: { title: 'Exploiting Linear Structure Within Convolutional Networks for Efficient Evaluation', authors: 'E. Denton, W. Zaremba, J. Bruna, Y. LeCun, R. Fergus', year: 2014, url: 'https://arxiv.org/abs/1404.0736' },
  params: [
    { name: 'energy', type: { kind: 'fraction', minExclusive: true }, doc: 'Share of the squared singular values to keep, e.g. `0.99` or `99%`.' },
    { name: 'rank', type: { kind: 'number', integer: true, min: 1 }, doc: 'Number of singular values to keep in every factorized layer.' },
  ],
  rules: [
    { severity: 'error', message: 'svd needs one of `energy` or `rank`, e.g. svd(energy: 0.99)', when: (a) => a['energy'] === undefined && a['rank'] === undefined },
    { severity: 'error', param: 'rank', message: 'write either `energy` or `rank`, not both', when: (a) => a['energy'] !== undefined && a['rank'] !== undefined },
    { severity: 'warning', param: 'energy', message: 'energy = 100% keeps every singular value: the factors are larger than the matrix', when: (a) => a['energy'] === 1 },
  ],
};
