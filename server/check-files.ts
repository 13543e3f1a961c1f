// `minima/checkFiles`: the server checks recipes that need not be open in the editor (the
// client's `Minima: Check All Recipes`). Each file is read from disk unless the editor holds it,
// analyzed with the same `analyze` as the open documents, and its diagnostics are published, so
// they land in the Problems view; the answer counts them per file for the client's summary.

import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { analyze, type Analysis } from '../runtime/analysis';
import { CATALOG } from '../runtime/catalog';
import type { ModelResolver } from '../runtime/checker';
import { diagnostics } from './features';
import type { CheckedFile, CheckFilesParams, CheckFilesResult } from './protocol';

export { CHECK_FILES_REQUEST, type CheckFilesParams, type CheckFilesResult } from './protocol';

export interface CheckFilesHost {
  /** The analysis of an open document's current text, or undefined when the editor does not hold it. */
  readonly openAnalysis: (uri: string) => Analysis | undefined;
  /** Publishes the diagnostics of a file that is not open. */
  readonly publish: (uri: string, diagnostics: Diagnostic[]) => void;
  /** Reads a file (by default from disk). */
  readonly read?: (uri: string) => string;
  /** The checker's reader of imported models for a recipe (model-files.ts); none: they are not read. */
  readonly resolveModel?: (uri: string) => ModelResolver | undefined;
}

export function checkFiles(params: CheckFilesParams, host: CheckFilesHost): CheckFilesResult {
  const read = host.read ?? readFromDisk;
  const files = params.uris.map((uri): CheckedFile => {
    const open = host.openAnalysis(uri);
    let analysis = open;
    if (!analysis) {
      try {
        const resolveModel = host.resolveModel?.(uri);
        analysis = analyze(read(uri), CATALOG, resolveModel ? { resolveModel } : {});
      } catch (e) {
        return { uri, errors: 0, warnings: 0, unreadable: (e as NodeJS.ErrnoException).code ?? String(e) };
      }
    }
    const found = diagnostics(analysis, uri);
    // An open document's diagnostics follow its edits through the usual path; publishing here
    // could overwrite a newer version's.
    if (!open) host.publish(uri, found);
    return { uri, errors: found.filter((d) => d.severity === DiagnosticSeverity.Error).length, warnings: found.filter((d) => d.severity === DiagnosticSeverity.Warning).length };
  });
  return { files };
}

function readFromDisk(uri: string): string {
  return fs.readFileSync(uri.startsWith('file:') ? fileURLToPath(uri) : uri, 'utf8');
}
