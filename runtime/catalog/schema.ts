// The shape of a catalog entry: what a technique takes (typed, ranged, defaulted parameters),
// what it checks (error/warning rules), what it says (docs, update rule, paper) and, for data
// sources and layers, how it transforms shapes. The checker, completion, hover and inlay hints
// read these; the compiler (a later layer) adds graph builders keyed by the same names.

/** Where a technique may appear. */
export type TechniqueKind =
  | 'data'
  | 'augmentation'
  | 'model'
  | 'layer'
  | 'activation'
  | 'norm'
  | 'init'
  | 'loss'
  | 'optimizer'
  | 'wrapper'
  | 'schedule'
  | 'regularizer'
  | 'prune_method'
  | 'prune_schedule'
  | 'lowrank'
  | 'quantize_method'
  | 'calibration'
  | 'metric'
  | 'sweep_strategy'
  | 'distribution'
  | 'early_stop';

/** The type of a parameter or attribute value. */
export type ParamType =
  | { readonly kind: 'number'; readonly min?: number; readonly max?: number; readonly minExclusive?: boolean; readonly maxExclusive?: boolean; readonly integer?: boolean }
  /** `80%` or `0.8`; always within [0, 1] unless `max` says otherwise. */
  | { readonly kind: 'fraction'; readonly maxExclusive?: boolean; readonly minExclusive?: boolean }
  /** `2ep` or `500step`. */
  | { readonly kind: 'duration' }
  /** `2:4`. */
  | { readonly kind: 'ratio' }
  | { readonly kind: 'string' }
  /** A file path, relative to the recipe. */
  | { readonly kind: 'path' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'enum'; readonly members: readonly EnumMember[] }
  /** An identifier or call naming a catalog entry of one of these kinds. */
  | { readonly kind: 'technique'; readonly of: readonly TechniqueKind[] }
  /** A reference to a layer of the model, by name (`dense_1`, or an explicit `fc1:`). */
  | { readonly kind: 'layer' }
  | { readonly kind: 'list'; readonly of: ParamType }
  /** Any one of several types, tried in order (e.g. a number or a duration). */
  | { readonly kind: 'union'; readonly of: readonly ParamType[] };

export interface EnumMember {
  readonly name: string;
  readonly doc: string;
}

/** A resolved duration. */
export interface Duration {
  readonly kind: 'duration';
  readonly value: number;
  readonly unit: 'ep' | 'step';
}

/** A resolved N:M ratio. */
export interface Ratio {
  readonly kind: 'ratio';
  readonly n: number;
  readonly m: number;
}

/**
 * A resolved value, as it appears in a checked plan (defaults filled in). Percentages are
 * fractions, enum members and strings are strings, layer references are `LayerRef`s.
 */
export type PlanValue = number | boolean | string | Duration | Ratio | TechniqueUse | LayerRef | readonly PlanValue[];

/** A technique with all of its arguments resolved and defaulted, e.g. `adamp(lr: 1e-3, …)`. */
export interface TechniqueUse {
  readonly kind: 'technique';
  readonly name: string;
  readonly entryKind: TechniqueKind;
  readonly args: Readonly<Record<string, PlanValue>>;
}

export interface LayerRef {
  readonly kind: 'layer';
  readonly name: string;
}

export interface ParamSpec {
  readonly name: string;
  readonly type: ParamType;
  /** The default when the parameter is not written; absent for required or optional-without-default parameters. */
  readonly default?: PlanValue;
  readonly required?: boolean;
  /** May be given without its name, in declaration order among positional parameters. */
  readonly positional?: boolean;
  /** One sentence. */
  readonly doc: string;
}

/**
 * An error or warning rule of a technique, evaluated on its resolved arguments (defaults filled).
 * `param` names the argument the diagnostic points at when it is written (else the whole call).
 */
export interface Rule {
  readonly severity: 'error' | 'warning';
  readonly param?: string;
  readonly message: string;
  readonly when: (args: Readonly<Record<string, PlanValue>>) => boolean;
}

export interface Paper {
  readonly title: string;
  readonly authors: string;
  readonly year: number;
  readonly url?: string;
}

/** A tensor shape flowing through a model, without the batch dimension: [features] or [channels, height, width]. */
export type TensorShape = readonly number[];

/** What a data source yields, as far as it is known statically. */
export interface DataShape {
  /** Input shape per example; undefined when only the file knows (csv, idx). */
  readonly input?: TensorShape;
  /** Number of classes for classification; undefined for regression or when unknown. */
  readonly classes?: number;
  /** Output width for regression. */
  readonly targets?: number;
  readonly task: 'classification' | 'regression' | 'unknown';
  /** Number of examples, when known. */
  readonly examples?: number;
}

/** A weight tensor a layer owns, for estimates and compression checks. */
export interface WeightInfo {
  readonly name: string;
  readonly shape: readonly number[];
  /** Length of the reduction (input) dimension that N:M groups run along: in·kh·kw. */
  readonly reduction: number;
  /** True for matrices and kernels that pruning, low-rank and quantization may touch (not biases and gains). */
  readonly compressible: boolean;
}

export type LayerInference =
  | { readonly ok: true; readonly output: TensorShape; readonly weights: readonly WeightInfo[]; readonly flops: number }
  | { readonly ok: false; readonly message: string };

/** Shape behaviour of a layer entry. */
export interface LayerFacet {
  /** Computes the output shape, the weights and the forward FLOPs per example from the input shape. */
  readonly infer: (input: TensorShape, args: Readonly<Record<string, PlanValue>>) => LayerInference;
  /** True when the layer carries normalization affine parameters for the given args (norm: layer|batch). */
  readonly hasNorm?: (args: Readonly<Record<string, PlanValue>>) => boolean;
  /** True when the layer's output width is its `units`/`channels` argument (the model's output layer must match the classes). */
  readonly producesFeatures?: boolean;
}

export interface TechniqueEntry {
  readonly name: string;
  readonly kind: TechniqueKind;
  /** One line, shown in completion lists. */
  readonly summary: string;
  /** One paragraph of Markdown, shown on hover. */
  readonly doc: string;
  /** The update rule or definition in plain text/math, shown on hover. */
  readonly rule?: string;
  readonly paper?: Paper;
  readonly params: readonly ParamSpec[];
  readonly rules?: readonly Rule[];
  /** Data sources: what they yield. */
  readonly data?: (args: Readonly<Record<string, PlanValue>>) => DataShape;
  /** Layers: how they transform shapes. */
  readonly layer?: LayerFacet;
  /** Wrappers: the name of the parameter holding the base optimizer. */
  readonly baseParam?: string;
  /** Models: the layer kinds their body may hold (empty for imported models). */
  readonly layers?: readonly string[];
}

/** A block of the language, e.g. `train { … }`. */
export interface BlockSpec {
  readonly name: string;
  readonly summary: string;
  readonly doc: string;
  /** What may follow the keyword: nothing, a string (`recipe "x"`), or a technique (`data digits`, `model mlp`). */
  readonly label: { readonly kind: 'none' } | { readonly kind: 'string'; readonly required: boolean } | { readonly kind: 'technique'; readonly of: TechniqueKind; readonly required: boolean };
  readonly attributes: readonly ParamSpec[];
  /** The technique kind of bare statements in the body (model layers); absent when the body holds only attributes. */
  readonly statements?: TechniqueKind;
  readonly required: boolean;
  /** Cross-attribute rules over the block's resolved attributes. */
  readonly rules?: readonly Rule[];
  /** True when attributes may also be dotted paths into the recipe (`sweep`); the checker's sweep module checks those. */
  readonly paths?: boolean;
}
