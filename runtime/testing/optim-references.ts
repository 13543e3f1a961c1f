// The PyTorch reference trajectories of test-fixtures/reference/optim/ (written by its generate.py):
// one JSON per case, replayed by the interpreter test (float64) and the onnxruntime test (float32,
// against both of torch's trajectories).

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HyperParams } from '../compiler/optim/types';

export interface OptimReference {
  readonly case: string;
  readonly optimizer: { readonly name: string; readonly hp: HyperParams };
  readonly wrapper: { readonly name: string; readonly hp: HyperParams } | null;
  readonly net: { readonly inputs: number; readonly hidden: number; readonly classes: number; readonly rowNormalized: boolean };
  readonly lr: number;
  readonly shapes: readonly (readonly number[])[];
  readonly init: readonly (readonly number[])[];
  readonly batches: readonly { readonly x: readonly number[]; readonly labels: readonly number[] }[];
  /** After each step, every parameter, torch in float64. */
  readonly trajectory: readonly (readonly (readonly number[])[])[];
  /** Per step, the wrapper's inputs (DeepZero's coordinates or directions), flattened; absent when it has none. */
  readonly wrapperInputs?: readonly (readonly (readonly number[])[])[];
  /** The same, torch in float32 from the initial parameters and batches rounded to float32. */
  readonly trajectoryFloat32: readonly (readonly (readonly number[])[])[];
}

export const OPTIM_REFERENCE_DIR = path.join('test-fixtures', 'reference', 'optim');

/** The reference files, sorted (paths relative to the repository root, where tests run). */
export function optimReferenceFiles(): string[] {
  return fs.readdirSync(OPTIM_REFERENCE_DIR).filter((f) => f.endsWith('.json')).sort();
}

export function readOptimReference(file: string): OptimReference {
  return JSON.parse(fs.readFileSync(path.join(OPTIM_REFERENCE_DIR, file), 'utf8')) as OptimReference;
}
