// The state one `check` call accumulates: diagnostics and the semantic side tables. It is created
// per call and passed down explicitly; nothing here outlives the call.

import type { Catalog, ParamSpec } from '../catalog';
import { diagnostic, type Diagnostic, type Severity, type Span, type SyntaxNode } from '../language';
import type { Resolution } from './types';
import type { Source } from './source';

export interface Ctx {
  readonly catalog: Catalog;
  readonly src: Source;
  /** The document's length (the file node's end), which every span must stay within. */
  readonly length: number;
  readonly diagnostics: Diagnostic[];
  readonly resolutions: Map<SyntaxNode, Resolution>;
  readonly expected: Map<SyntaxNode, ParamSpec>;
}

export function report(ctx: Ctx, code: string, severity: Severity, at: Span, message: string, extra: Pick<Diagnostic, 'fixes' | 'related' | 'tags'> = {}): void {
  // Spans must lie inside the document whatever the caller computed.
  const len = ctx.length;
  const start = Math.max(0, Math.min(at.start, len));
  const end = Math.max(start, Math.min(at.end, len));
  ctx.diagnostics.push(diagnostic(code, severity, { start, end }, message, extra));
}

/** A mark to ask later whether any error was reported since. */
export function mark(ctx: Ctx): number {
  return ctx.diagnostics.length;
}

export function errorsSince(ctx: Ctx, since: number): boolean {
  for (let i = since; i < ctx.diagnostics.length; i++) if (ctx.diagnostics[i]?.severity === 'error') return true;
  return false;
}
