// The rule for `report { export = "…" }`: the model goes to a `.onnx` file inside the recipe's
// folder. The rule is lexical (no IO), so the editor and `minima check` report it as the recipe is
// typed; the engine applies the same function again before it writes, and adds what only the file
// system can tell (symbolic links, files that are already there).

import { CODES, type Fix } from '../language';
import type { BlockResult } from './blocks';
import { report, type Ctx } from './context';

/** A broken export path: what is wrong, and a path that would do. */
export interface ExportPathProblem {
  readonly message: string;
  readonly suggestion: string;
}

/**
 * Why `p` cannot be an export path, or undefined when it can. Both `/` and `\` separate folders
 * (a recipe written on Windows means the same there), so neither can be used to escape.
 */
export function exportPathProblem(p: string): ExportPathProblem | undefined {
  if (p.trim() === '') return { message: 'export is empty: give the file to write, e.g. "model.onnx"', suggestion: 'model.onnx' };
  const segments = p.split(/[/\\]/);
  const last = segments[segments.length - 1] ?? '';
  if (/^[/\\]/.test(p) || /^[A-Za-z]:/.test(p)) {
    const inside = onnxName(lastName(p.replace(/^[A-Za-z]:/, '').split(/[/\\]/)));
    return { message: `export must be relative to the recipe's folder, found the absolute path '${p}'; e.g. "${inside}"`, suggestion: inside };
  }
  let depth = 0;
  for (const s of segments) {
    depth += s === '..' ? -1 : s === '' || s === '.' ? 0 : 1;
    if (depth < 0) {
      const inside = onnxName(lastName(segments));
      return { message: `export '${p}' leaves the recipe's folder; write the model inside it, e.g. "${inside}"`, suggestion: inside };
    }
  }
  if (last === '' || last === '.' || last === '..') {
    const folder = p.replace(/[/\\.]+$/, '');
    const inside = folder === '' ? 'model.onnx' : `${folder}/model.onnx`;
    return { message: `export '${p}' names a folder, not a file; give the file to write, e.g. "${inside}"`, suggestion: inside };
  }
  const dir = p.slice(0, p.length - last.length);
  const lower = last.toLowerCase();
  if (lower.endsWith('.minima')) {
    const onnx = dir + onnxName(last);
    return { message: `export '${p}' would overwrite a recipe with the model's bytes; the model goes to a .onnx file, e.g. "${onnx}"`, suggestion: onnx };
  }
  if (!lower.endsWith('.onnx') || lower === '.onnx') {
    const onnx = dir + onnxName(last);
    return { message: `export must name a .onnx file (the model is written as ONNX), found '${p}'; e.g. "${onnx}"`, suggestion: onnx };
  }
  return undefined;
}

/** Reports M036 on the export string of the checked `report` block, with a fix that writes the suggested path. */
export function checkExportPath(ctx: Ctx, block: BlockResult | undefined): void {
  const value = block?.attrs['export'];
  const node = block?.written.get('export')?.value;
  if (typeof value !== 'string' || node?.kind !== 'string') return;
  const problem = exportPathProblem(value);
  if (!problem) return;
  const fix: Fix = { title: `Export to "${problem.suggestion}"`, edits: [{ span: node.span, newText: quote(problem.suggestion) }], preferred: true };
  report(ctx, CODES.exportPath, 'error', node.span, problem.message, { fixes: [fix] });
}

/** The last real name of a path ('model' when it has none). */
function lastName(segments: readonly string[]): string {
  return segments.filter((s) => s !== '' && s !== '.' && s !== '..').pop() ?? 'model';
}

/** `name` with its extension replaced by `.onnx`: victim.txt → victim.onnx, model → model.onnx. */
function onnxName(name: string): string {
  if (name.toLowerCase().endsWith('.onnx') && name.length > '.onnx'.length) return name;
  const dot = name.lastIndexOf('.');
  const base = dot > 0 ? name.slice(0, dot) : dot === 0 ? 'model' : name;
  return base.toLowerCase().endsWith('.onnx') ? base : `${base}.onnx`;
}

/** A string literal the lexer reads back as `s` (lexer.ts `unquote`). */
function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}
