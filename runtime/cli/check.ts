// `minima check`: analyze recipes and print the server's diagnostics as compiler-style lines
// (`path:line:col: error M012: message`) or as one JSON document.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../analysis';
import { CATALOG } from '../catalog';
import type { ModelResolver } from '../checker';
import { printable, type Diagnostic, type LineIndex, type Severity } from '../language';
import { parseCommandArgs } from './args';
import type { Io } from './main';
import { modelResolvers } from './model-files';

/** One diagnostic as `--json` prints it: 1-based line/column for people, 0-based LSP range for tools. */
export interface JsonDiagnostic {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly range: { readonly start: LspPosition; readonly end: LspPosition };
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
}

export interface JsonFile {
  readonly path: string;
  readonly diagnostics: readonly JsonDiagnostic[];
  /** Set when the file could not be read; it then has no diagnostics. */
  readonly error?: string;
}

export interface JsonReport {
  readonly files: readonly JsonFile[];
  readonly summary: { readonly files: number; readonly errors: number; readonly warnings: number; readonly infos: number; readonly unreadable: number };
}

interface LspPosition {
  readonly line: number;
  readonly character: number;
}

export const CHECK_USAGE = `usage: minima check <files or folders…> [--json]

Checks recipes and prints compiler-style diagnostics (path:line:col: severity CODE: message).
Folders are searched recursively for *.minima files.

Options:
  --json       Print one JSON document with every file's diagnostics.
  -h, --help   Show this help.

Exit code: 0 clean (warnings allowed), 1 errors, 2 unreadable files or bad usage.
`;

/** Exit codes: 0 no errors (warnings allowed), 1 errors in a recipe, 2 unreadable files or bad usage. */
export function checkCommand(args: readonly string[], io: Io): number {
  const parsed = parseCommandArgs(args, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (typeof parsed === 'string') {
    io.err(`minima check: ${parsed}; see \`minima check --help\`\n`);
    return 2;
  }
  if (parsed.values['help'] === true) {
    io.out(CHECK_USAGE);
    return 0;
  }
  const json = parsed.values['json'] === true;
  const targets = parsed.positionals;
  if (targets.length === 0) {
    io.err('minima check: give one or more .minima files or folders, e.g. `minima check recipes/`\n');
    return 2;
  }
  const files: JsonFile[] = [];
  // Imported models (`model onnx("…")`) are read once per command, relative to each recipe's folder.
  const resolvers = modelResolvers();
  for (const target of targets) {
    for (const file of expand(target, io.cwd)) files.push(checkFile(file, io.cwd, resolvers));
  }
  const report = summarize(files);
  if (json) io.out(JSON.stringify(report, null, 2) + '\n');
  else printText(report, io);
  if (report.summary.unreadable > 0 || files.length === 0) return 2;
  return report.summary.errors > 0 ? 1 : 0;
}

/** A file stays as given; a folder becomes every *.minima below it, sorted. Missing paths are kept so the read reports them. */
function expand(target: string, cwd: string): string[] {
  const abs = path.resolve(cwd, target);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(abs);
  } catch {
    return [target];
  }
  if (!stat.isDirectory()) return [target];
  const out: string[] = [];
  const visit = (rel: string) => {
    const entries = fs.readdirSync(path.resolve(cwd, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(rel, e.name);
      if (e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.')) visit(p);
      else if (e.isFile() && e.name.endsWith('.minima')) out.push(p);
    }
  };
  visit(target);
  return out;
}

function checkFile(file: string, cwd: string, resolvers: (baseDir: string) => ModelResolver): JsonFile {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : code === 'EACCES' ? 'permission denied' : e instanceof Error ? e.message : String(e);
    return { path: file, diagnostics: [], error: `cannot read: ${why}` };
  }
  const a = analyze(text, CATALOG, { resolveModel: resolvers(path.dirname(path.resolve(cwd, file))) });
  return { path: file, diagnostics: a.diagnostics.map((d) => toJson(d, a.lines)) };
}

function toJson(d: Diagnostic, lines: LineIndex): JsonDiagnostic {
  const start = lines.position(d.span.start);
  const end = lines.position(d.span.end);
  return {
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    range: { start, end },
    code: d.code,
    severity: d.severity,
    message: d.message,
  };
}

function summarize(files: readonly JsonFile[]): JsonReport {
  const all = files.flatMap((f) => f.diagnostics);
  const count = (s: Severity) => all.filter((d) => d.severity === s).length;
  return {
    files,
    summary: { files: files.length, errors: count('error'), warnings: count('warning'), infos: count('info'), unreadable: files.filter((f) => f.error !== undefined).length },
  };
}

function printText(report: JsonReport, io: Io): void {
  for (const f of report.files) {
    if (f.error !== undefined) io.err(`${printable(f.path)}: error: ${printable(f.error)}\n`);
    for (const d of f.diagnostics) io.out(`${line(f.path, d)}\n`);
  }
  const s = report.summary;
  if (s.files === 0) {
    io.err('minima check: no .minima files found\n');
    return;
  }
  const parts = [plural(s.errors, 'error'), plural(s.warnings, 'warning'), ...(s.infos > 0 ? [plural(s.infos, 'info')] : [])];
  const unreadable = s.unreadable > 0 ? `, ${s.unreadable} unreadable` : '';
  io.out(`${s.errors + s.warnings === 0 && s.unreadable === 0 ? 'ok: ' : ''}${plural(s.files, 'file')} checked${unreadable}: ${parts.join(', ')}\n`);
}

/**
 * `path:line:col: severity CODE: message`, 1-based, as compilers print it. Control characters in
 * the path or the message are escaped: a terminal shows this line, it does not obey it.
 */
export function formatDiagnostic(file: string, lines: LineIndex, d: Diagnostic): string {
  return line(file, toJson(d, lines));
}

function line(file: string, d: JsonDiagnostic): string {
  return `${printable(file)}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${printable(d.message)}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
