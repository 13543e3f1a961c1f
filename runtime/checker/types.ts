// What the checker produces: a typed plan with every default filled in (only when the recipe has
// no errors), diagnostics, and side tables that tell editor features what each node means.

import type { BlockSpec, DataShape, EnumMember, ParamSpec, PlanValue, TechniqueEntry, TechniqueUse, TensorShape, WeightInfo } from '../catalog';
import type { Diagnostic, Span, SyntaxNode } from '../language';
import type { ImportedModelFacts } from './imported-model';

/** A block with its label and attributes resolved; absent attributes hold their defaults. */
export interface BlockPlan {
  readonly span: Span;
  /** `data digits` → the `digits` technique; `recipe "x"` → the string. */
  readonly label?: TechniqueUse | string;
  readonly attrs: Readonly<Record<string, PlanValue>>;
}

/** One layer of the model, with its inferred shapes. */
export interface LayerPlan {
  /** `dense_1` (kind + 1-based position among layers of that kind) or the explicit `name:`. */
  readonly name: string;
  readonly explicitName: boolean;
  readonly use: TechniqueUse;
  readonly input: TensorShape;
  readonly output: TensorShape;
  readonly weights: readonly WeightInfo[];
  /** Forward FLOPs per example. */
  readonly flops: number;
  readonly hasNorm: boolean;
}

/** A written layer, resolved and named, before shapes are known. */
export interface LayerDecl {
  readonly name: string;
  readonly explicitName: boolean;
  readonly use: TechniqueUse;
  /**
   * Where the layer's call is written: its span, and the 1-based line it starts on, so that a
   * run-time message about the layer (which has no text to count lines in) can point at it.
   */
  readonly span: Span;
  readonly line: number;
}

export interface Estimates {
  readonly parameters: number;
  /** FLOPs of one training step on one batch: forward + backward (≈ 3× forward), times the wrapper's passes. */
  readonly flopsPerStep: number;
  /** Forward FLOPs per example (inference). */
  readonly flopsPerExample: number;
  /** fp32 model size. */
  readonly bytesBefore: number;
  /** Size after pruning (sparse weights stored as values + 1-bit masks… see estimates.ts), low-rank and quantization. */
  readonly bytesAfter: number;
  /** Forward/backward passes per step (1 for plain optimizers, 2 for SAM, 4 for GAM). */
  readonly passesPerStep: number;
}

/** A recipe that passed the checker. Only `check` creates one, so `compile(recipe: CheckedRecipe)` needs no re-validation. */
export interface CheckedRecipe {
  readonly name: string;
  readonly seed: number;
  readonly blocks: Readonly<Record<string, BlockPlan>>;
  readonly data: { readonly source: TechniqueUse; readonly shape: DataShape };
  /**
   * `layers` holds every layer with its shapes when the data's input shape is known statically;
   * it is empty when only a file knows the shapes (csv/idx data, imported onnx models). `declared`
   * always lists the written layers in order, resolved and named.
   */
  readonly model: { readonly source: TechniqueUse; readonly init: TechniqueUse; readonly layers: readonly LayerPlan[]; readonly declared: readonly LayerDecl[] };
  /** Absent when the shapes are only known from files (see `model.layers`). */
  readonly estimates?: Estimates;
  /** Brand: only the checker makes these. */
  readonly __checked: true;
}

/** A layer as the editor sees it: where it is defined and every place that names it. */
export interface LayerSymbol {
  readonly name: string;
  readonly explicit: boolean;
  /** The explicit name's identifier, when written. */
  readonly nameSpan?: Span;
  /** The layer statement (name and call). */
  readonly span: Span;
  /** The layer call (`dense(128)`). */
  readonly callSpan: Span;
  readonly refs: readonly Span[];
  readonly plan?: LayerPlan;
}

/** What a node of the tree means. */
export type Resolution =
  | { readonly kind: 'block'; readonly spec: BlockSpec }
  | { readonly kind: 'attribute'; readonly block: BlockSpec; readonly param: ParamSpec }
  | { readonly kind: 'technique'; readonly entry: TechniqueEntry }
  | { readonly kind: 'param'; readonly entry: TechniqueEntry; readonly param: ParamSpec }
  | { readonly kind: 'enum'; readonly param: ParamSpec; readonly member: EnumMember }
  | { readonly kind: 'layer'; readonly layer: LayerSymbol; readonly definition: boolean };

export interface Semantics {
  /** Keyed by node identity: block keywords, attribute names, technique identifiers/callees, argument names, enum members, layer names and references. */
  readonly resolutions: ReadonlyMap<SyntaxNode, Resolution>;
  /** For every value node the checker visited: the type it was checked against (completion uses it). */
  readonly expected: ReadonlyMap<SyntaxNode, ParamSpec>;
  readonly layers: readonly LayerSymbol[];
  /** Estimates whenever the data and model resolve, even if other blocks have errors (hover on `model`). */
  readonly estimates?: Estimates;
  /** An imported model's file as the host's resolver read it (layer completion and hover). */
  readonly imported?: ImportedModelFacts;
}

export interface CheckResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly semantics: Semantics;
  /** Present only when there is no error. */
  readonly recipe?: CheckedRecipe;
}
