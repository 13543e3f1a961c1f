// Diagnostics are values: a stable code, a severity, a span and a message, with optional fixes.

import { printable, type Span, type TextEdit } from './text';

export type Severity = 'error' | 'warning' | 'info';

/** A quick fix attached to a diagnostic: a titled set of edits. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** The fix an editor may apply on "fix all" without asking. */
  readonly preferred?: boolean;
}

export interface RelatedInfo {
  readonly span: Span;
  readonly message: string;
}

export interface Diagnostic {
  /** A stable code such as `M012`; see `codes.ts`. */
  readonly code: string;
  readonly severity: Severity;
  readonly span: Span;
  readonly message: string;
  readonly fixes?: readonly Fix[];
  readonly related?: readonly RelatedInfo[];
  /** `unnecessary` greys the text out in editors (e.g. a duplicate attribute). */
  readonly tags?: readonly 'unnecessary'[];
}

/**
 * A diagnostic value. Its message, related messages and fix titles quote source text, so control
 * characters in them are escaped here (`printable`), once for every producer.
 */
export function diagnostic(
  code: string,
  severity: Severity,
  span: Span,
  message: string,
  extra: Pick<Diagnostic, 'fixes' | 'related' | 'tags'> = {},
): Diagnostic {
  return {
    code,
    severity,
    span,
    message: printable(message),
    ...extra,
    ...(extra.fixes ? { fixes: extra.fixes.map((f) => ({ ...f, title: printable(f.title) })) } : {}),
    ...(extra.related ? { related: extra.related.map((r) => ({ ...r, message: printable(r.message) })) } : {}),
  };
}
