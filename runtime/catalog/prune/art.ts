import type { TechniqueEntry } from '../schema';

// Catalog A50 (ART), read in the official GreenAutoML4FAS/HyperSparse (utils/art.py, train.py,
// utils/misc.py ModelBuffer, utils/arg.py).
export const art: TechniqueEntry = {
  name: 'art',
  kind: 'prune_schedule',
  summary: 'ART (adaptive regularized training): prune once the pruned model trains as well as the dense one (Glandorf et al., 2023).',
  doc: 'Trains dense until `from` (the warm-up), then after every epoch prunes a copy of the model to the target sparsity by magnitude (one global threshold over the pruned layers) and measures its accuracy on that epoch\'s training batches. The last 2·buffer + 1 epochs are kept; when their mean pruned accuracy beats the best so far, their middle epoch becomes the best. ART ends when the best\'s mean pruned accuracy exceeds the dense model\'s training accuracy of the epoch (or at `to`): the best epoch\'s pruned model replaces the weights, its mask is fixed and the rest of training fine-tunes it. Use it with `regularizers = [hypersparse(…)]`, whose term applies while ART runs. Unlike the official code, the optimizer\'s state and the learning-rate schedule are not restarted for the fine-tune. The events carry `art/pruned_train_accuracy` and `art/dense_train_accuracy` for the ART epochs.',
  rule: 'each ART epoch e: acc_pr(e) = train accuracy of magnitude-prune(W_e, sparsity);  best ← middle of the last 2b+1 when their mean > acc_pr(best);  stop when mean(best) > train accuracy of the dense model in e',
  paper: { title: 'HyperSparse Neural Networks: Shifting Exploration to Exploitation through Adaptive Regularization', authors: 'P. Glandorf, T. Kaiser, B. Rosenhahn', year: 2023, url: 'https://arxiv.org/abs/2308.07163' },
  params: [
    { name: 'buffer', type: { kind: 'number', integer: true, min: 0 }, default: 1, positional: true, doc: 'Buffer size b: the mean runs over the last 2b + 1 epochs (official `size_model_buffer`, 1).' },
  ],
};
