import type { TechniqueEntry } from '../schema';

export const hessian_top_eig: TechniqueEntry = {
  name: 'hessian_top_eig',
  kind: 'metric',
  summary: 'Largest eigenvalue of the loss Hessian, by power iteration on Hessian-vector products.',
  doc: 'Estimates λ_max of the Hessian of the training loss at the current weights with power iteration on Hessian-vector products (double backward), averaged over `batches` training batches with the model in evaluation mode (PyHessian). Stops after `iters` iterations or when the relative change falls below `tol`. Compare it with 2/η to see the edge of stability. Costs about two backward passes per iteration and batch; computed every `every` of the report block.',
  rule: 'v₀ ~ N(0, I), v ← v/‖v‖;  repeat: Hv = ∇(⟨∇L, v⟩);  λ = ⟨v, Hv⟩;  v ← Hv/‖Hv‖;  until |Δλ|/(|λ| + 1e-6) < tol or iters reached',
  paper: { title: 'PyHessian: Neural Networks Through the Lens of the Hessian', authors: 'Z. Yao, A. Gholami, K. Keutzer, M. W. Mahoney', year: 2020, url: 'https://arxiv.org/abs/1912.07145' },
  params: [
    { name: 'iters', type: { kind: 'number', integer: true, min: 1 }, default: 20, doc: 'Maximum number of power iterations.' },
    { name: 'tol', type: { kind: 'number', min: 0, minExclusive: true }, default: 1e-3, doc: 'Relative change of the estimate below which the iteration stops.' },
    { name: 'batches', type: { kind: 'number', integer: true, min: 1 }, default: 1, doc: 'Training batches the Hessian-vector products are averaged over.' },
  ],
};
