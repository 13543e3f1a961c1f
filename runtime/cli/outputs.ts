// Where `minima run` may write: `--runs DIR` and `--report FILE` must lie inside the current
// folder or the recipe's folder (either one; `..` and symbolic links are resolved first), and the
// report must be an `.html` file. The rule is checked before training, so a bad path costs
// nothing; the report itself is written without replacing a file that is not Minima's report.

import * as path from 'node:path';
import { isEnvironmentError, isInsideReal, writeOwnedFile, type EnvironmentError } from '../engine';
import { isMinimaReport } from './report';

/** The folders `minima run` may write into: the current folder and the recipe's. */
export interface WriteRoots {
  readonly cwd: string;
  readonly recipeDir: string;
}

/**
 * Why the `flag`'s path `given` is not one Minima may write to, or undefined when it is: `--runs`
 * and `--report` of `minima run`, `-o` of `minima report` (whose roots are both the current folder).
 */
export function outputPathProblem(flag: '--runs' | '--report' | '-o', given: string, roots: WriteRoots): string | undefined {
  if (given.trim() === '') return `${flag} needs a path, e.g. ${flag === '--runs' ? '--runs runs' : `${flag} report.html`}`;
  const abs = path.resolve(roots.cwd, given);
  if (!isInsideReal(abs, roots.cwd) && !isInsideReal(abs, roots.recipeDir)) {
    const what = flag === '--runs' ? 'runs' : 'the report';
    if (flag === '-o') return `${flag} ${given} is outside the current folder ${roots.cwd}; ${what} must go inside it`;
    if (roots.recipeDir === roots.cwd) return `${flag} ${given} is outside the current folder ${roots.cwd}, which is the recipe's folder; ${what} must go inside it`;
    return `${flag} ${given} is outside both the current folder ${roots.cwd} and the recipe's folder ${roots.recipeDir}; ${what} must go inside one of them`;
  }
  if (flag !== '--runs') {
    if (/[/\\]$/.test(given) || path.basename(abs) === '' || abs === roots.cwd || abs === roots.recipeDir) return `${flag} ${given} names a folder; give the file to write, e.g. ${flag} report.html`;
    if (!abs.toLowerCase().endsWith('.html')) return `${flag} ${given} must end in .html (it is an HTML page), e.g. ${flag} ${path.basename(abs).replace(/\.[^.]*$/, '')}.html`;
  }
  return undefined;
}

/**
 * The report written at `target`, or beside it (`report-2.html`) when a file there is not Minima's
 * report; the note says so, with paths as `show` prints them.
 */
export function writeReportFile(target: string, html: string, show: (p: string) => string): { readonly path: string; readonly note?: string } | EnvironmentError {
  const written = writeOwnedFile(target, html, isMinimaReport, 'write the report');
  if (isEnvironmentError(written)) return written;
  if (written.kept === undefined) return { path: written.path };
  return { path: written.path, note: `${show(written.kept)} exists and is not a Minima report; wrote ${show(written.path)}` };
}
