import type { TechniqueEntry } from '../schema';

export const fwsvd: TechniqueEntry = {
  name: 'fwsvd',
  kind: 'lowrank',
  summary: 'Fisher-weighted SVD: truncate each weight matrix where the task loss is least sensitive.',
  doc: 'Once, at `from`, estimates the Fisher information of each selected weight on the task data, F_ij = Σ_b (∂L_b/∂W_ij)² over the last `batches` training batches (the model in evaluation mode, at the weights of step `from`), sums it per output row, I_i = Σ_j F_ij, and factorizes the row-weighted matrix: ÎW = USVᵀ with Î = diag(√I), W ≈ (Î⁻¹U_kS_k)(V_kᵀ). Rows the loss is sensitive to are reconstructed more exactly than plain `svd` would; with equal importances it is plain truncated SVD. Training continues dense after the projection, and the export factors the final weights with the same Î. Needs some training before `from` (the Fisher of a trained model), e.g. `from = 2ep`. A row with zero importance (no gradient reached it) is given the smallest positive importance of its layer, so Î stays invertible (a Minima choice). Written from the paper (Hsu et al., ICLR 2022), not from its official code: UNVERIFIED against the authors\' implementation.',
  rule: 'F = Σ_b (∇_W L_b)²;  I_i = Σ_j F_ij;  Î = diag(√I);  ÎW = USVᵀ;  k = rank or min{i : Σ_{j≤i} σ_j² ≥ energy·Σσ²};  W ≈ (Î⁻¹U_kS_k)(V_kᵀ)',
  paper: { title: 'Language model compression with weighted low-rank factorization', authors: 'Y.-C. Hsu, T. Hua, S. Chang, Q. Lou, Y. Shen, H. Jin', year: 2022, url: 'https://arxiv.org/abs/2207.00112' },
  params: [
    { name: 'rank', type: { kind: 'number', integer: true, min: 1 }, doc: 'Number of singular values to keep in every factorized layer.' },
    { name: 'energy', type: { kind: 'fraction', minExclusive: true }, doc: 'Share of the Fisher-weighted squared singular values to keep, e.g. `0.99`.' },
    { name: 'batches', type: { kind: 'number', integer: true, min: 1 }, default: 8, doc: 'Training batches the Fisher information is summed over: the last ones before `from`.' },
  ],
  rules: [
    { severity: 'error', message: 'fwsvd needs one of `rank` or `energy`, e.g. fwsvd(rank: 8)', when: (a) => a['energy'] === undefined && a['rank'] === undefined },
    { severity: 'error', param: 'rank', message: 'write either `energy` or `rank`, not both', when: (a) => a['energy'] !== undefined && a['rank'] !== undefined },
    { severity: 'warning', param: 'energy', message: 'energy = 100% keeps every singular value: the factors are larger than the matrix', when: (a) => a['energy'] === 1 },
  ],
};
