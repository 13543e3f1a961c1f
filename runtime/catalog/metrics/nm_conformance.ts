import type { TechniqueEntry } from '../schema';

export const nm_conformance: TechniqueEntry = {
  name: 'nm_conformance',
  kind: 'metric',
  summary: 'Share of N:M groups in the pruned layers that hold at most N nonzeros.',
  doc: 'For each pruned layer, splits the weight (out, in·kh·kw) into groups of M consecutive entries along the input dimension and reports the fraction of groups with at most N nonzero entries, overall and per layer. It is 1 once the N:M mask holds; lower values mean the layer would not run on sparse tensor cores. Needs an N:M `pattern` in the prune block.',
  rule: 'conformance = |{groups g : nnz(g) ≤ N}| / |groups|',
  params: [],
};
