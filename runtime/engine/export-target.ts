// The end of a run: `report { export = "…" }` written to disk. The checker reports a bad export
// path as M036, but a run can start from a recipe that was never checked that way (an older
// plan, a bypassed check), so the same rule is applied again here, together with what only the
// file system can tell: a symbolic link that leads out of the recipe's folder, and a file already
// at the target that Minima did not write (kept; the model goes to `name-2.onnx`).

import * as path from 'node:path';
import type { PlanValue } from '../catalog';
import { exportPathProblem } from '../checker';
import { ONNX_PRODUCER, onnxProducerName } from '../compiler/onnx';
import { isInsideReal, realPath } from './confine';
import { isEnvironmentError, type EnvironmentError } from './environment';
import { writeOwnedFile } from './owned-file';

export type ExportResult =
  /** The recipe exports nothing. */
  | { readonly kind: 'none' }
  /** `path` holds the model; `note` says why it is not the path the recipe names. */
  | { readonly kind: 'written'; readonly path: string; readonly note?: string }
  /** Nothing was written: a one-line message for the failed run. */
  | { readonly kind: 'refused'; readonly message: string; readonly environment?: EnvironmentError };

export interface ExportOptions {
  /** The recipe's folder: relative export paths start here, and the export must stay inside it. */
  readonly baseDir: string;
  /** Where the run folder keeps its copy of the model, named in a refusal. */
  readonly kept?: string;
}

/** Writes the model `bytes` where the recipe's `export` attribute says, if it says anything. */
export function writeExport(exportAttr: PlanValue | undefined, bytes: Uint8Array, options: ExportOptions): ExportResult {
  if (typeof exportAttr !== 'string') return { kind: 'none' };
  const keptNote = options.kept ? ` (the trained model is kept in ${options.kept})` : '';
  const problem = exportPathProblem(exportAttr);
  if (problem) return { kind: 'refused', message: `the model was not exported: ${problem.message}${keptNote}` };
  const base = path.resolve(options.baseDir);
  const target = path.resolve(base, exportAttr);
  if (!isInsideReal(target, base)) {
    return { kind: 'refused', message: `the model was not exported: export '${exportAttr}' leads to ${realPath(target)} through a symbolic link, outside the recipe's folder ${base}${keptNote}` };
  }
  const written = writeOwnedFile(target, bytes, isMinimaModel, 'write the model');
  if (isEnvironmentError(written)) return { kind: 'refused', message: `${written.message}${keptNote}`, environment: written };
  const rel = (p: string) => path.relative(base, p) || p;
  if (written.kept === undefined) return { kind: 'written', path: written.path };
  return { kind: 'written', path: written.path, note: `${rel(written.kept)} exists and was not written by Minima; wrote ${rel(written.path)}` };
}

/** A model Minima wrote: its ONNX producer_name is Minima's (compiler/onnx/emit.ts). */
export function isMinimaModel(head: Uint8Array): boolean {
  return onnxProducerName(head) === ONNX_PRODUCER;
}
