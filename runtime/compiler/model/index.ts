// The model builder: a checked recipe's model as parameters, buffers and a forward graph, and the
// seeded JS initialization of its tensors. Knows graphs; imports nothing outside runtime/compiler.

export * from './types';
export { buildModel, type BuildOptions } from './build';
export { initTensors, type InitializedTensors } from './init';
export type { LayerSpec, ModelRecipe, TechniqueArgs } from './recipe';
export { StopGradient, stopGradient } from './stop-gradient';
export { importOnnxModel, IMPORTABLE_OPS, type ImportedModel, type ImportedLayer, type ImportResult, type ImportOptions, type ImportSummary, type UnsupportedNode } from './import';
export { importFacts, type ImportFacts, type ImportFactsParam } from './import-facts';
export { selectLayers, refersTo, type DefaultTargets, type LayerSelection } from './layer-select';
export { matchesPattern } from './import-names';
