// SAF (AngusDujw/SAF) is not compiled yet: its extra loss term needs, per training example, the
// logits recorded `window` epochs earlier (a buffer of N·(window + 1)·classes floats indexed by the
// example index) and the current logits inside the loss. A WrapperBuilder only sees
// `lossAndGrad(params)`, which exposes neither the logits nor the batch's example indices, so SAF
// must be built where the loss is assembled (the training-step builder), not as a wrapper.

export const SAF_NOT_COMPILED = 'saf needs per-example logits from earlier epochs and a KL term inside the loss; the wrapper API (lossAndGrad over parameters) exposes neither the logits nor the example indices';
