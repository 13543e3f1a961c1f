// The training losses of the catalog (runtime/catalog/losses) as graph builders: a scalar, the
// mean over the batch. Knows graphs; imports nothing outside runtime/compiler.

export { buildLoss, type LossUse } from './build';
