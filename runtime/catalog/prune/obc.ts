import type { TechniqueEntry } from '../schema';

export const obc: TechniqueEntry = {
  name: 'obc',
  kind: 'prune_method',
  summary: 'Optimal Brain Compression: prune (and optionally quantize) each layer after training from calibration Hessians.',
  doc: 'Post-training, after the last step: the inputs of each pruned dense layer over the last `batches` training batches give the Hessian of its squared reconstruction error, H = (2/n)ΣxxᵀX. Each row of W then loses, one at a time, the weight whose removal costs least (w_j²/[H⁻¹]_jj), and the row\'s remaining weights are updated to compensate (the Optimal Brain Surgeon step), as the official code does (IST-DASLab/OBC, trueobs.py): with `sparsity` every row is traced to the end and the layer keeps the ⌈rows·cols·s⌉ cheapest steps over all its rows; with an N:M `pattern` each group of M consecutive weights loses M − N. With `bits`, the kept weights are then quantized the same way (OBQ) onto a per-row min–max grid q ∈ [0, 2^b − 1] (symmetric by default, as the official Quantizer), largest-error entries first when one exceeds ¼·scale², and exported as uint8 codes with zero points; pruned weights stay zero. Dense layers only (conv inputs would need unfolding); `schedule`, `from` and `to` do not apply. The layer error ½ΣΔwᵀHΔw is reported as `obc_error/<layer>`. Note: on the official symmetric grid each row\'s largest |w| sits exactly on a rounding tie (|w|/s = (2^b − 1)/2), so float rounding differences between devices can round it either way and change the rest of the row; `symmetric: false` has no such tie. Minima choices: a row\'s existing zeros are all taken out of H before its trace (the official code does this for the fewest zeros of 32 rows at a time), and N:M groups are consecutive along W\'s rows as for every N:M method here (the official code permutes conv columns first).',
  rule: 'H = (2/n)·XXᵀ (dead inputs: H_ii = 1, W[:, i] = 0);  per row: j = argmin_unmasked w_j²/[H⁻¹]_jj;  loss_j = w_j²/(2[H⁻¹]_jj);  w ← w − (w_j/[H⁻¹]_jj)·H⁻¹[j, :];  H⁻¹ ← H⁻¹ − H⁻¹[:, j]H⁻¹[j, :]/[H⁻¹]_jj;  quantization: score (w_j − q(w_j))²/[H⁻¹]_jj, update with w_j − q(w_j)',
  paper: { title: 'Optimal Brain Compression: A Framework for Accurate Post-Training Quantization and Pruning', authors: 'E. Frantar, S. P. Singh, D. Alistarh', year: 2022, url: 'https://arxiv.org/abs/2208.11580' },
  params: [
    { name: 'batches', type: { kind: 'number', integer: true, min: 1 }, default: 16, doc: 'Calibration batches: the last training batches, run through the trained model (the official code uses 1,024 samples).' },
    { name: 'bits', type: { kind: 'number', integer: true, min: 2, max: 8 }, doc: 'Also quantize the kept weights to this many bits (OBQ), per row; absent: pruning only.' },
    { name: 'symmetric', type: { kind: 'bool' }, default: true, doc: 'Symmetric grid (zero point 2^(b−1), range ±max|w|) or asymmetric (min–max, zero point round(−min/s)), as the official Quantizer\'s `sym`.' },
  ],
  rules: [
    { severity: 'warning', param: 'symmetric', message: 'symmetric = false only applies with `bits`: without it obc does not quantize', when: (a) => a['symmetric'] === false && a['bits'] === undefined },
  ],
};
