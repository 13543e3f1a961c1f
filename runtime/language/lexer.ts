// The lexer: text to tokens. It never throws; bad characters become `error` tokens plus a diagnostic.

import { diagnostic, type Diagnostic } from './diagnostic';
import { CODES } from './codes';
import type { Span } from './text';

export type TokenKind =
  | 'ident'
  | 'number'
  | 'percent'
  | 'duration'
  | 'ratio'
  | 'string'
  | 'lbrace'
  | 'rbrace'
  | 'lparen'
  | 'rparen'
  | 'lbracket'
  | 'rbracket'
  | 'eq'
  | 'comma'
  | 'colon'
  | 'semicolon'
  /** The `.` of a dotted path (`train.optimizer.lr`): only between a name and the next name, with no spaces. */
  | 'dot'
  | 'error'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  readonly span: Span;
  readonly text: string;
  /** True when a line break (or the start of the file) separates this token from the previous one. */
  readonly lineStart: boolean;
}

export interface Comment {
  readonly span: Span;
  /** The comment's text including the leading `#`. */
  readonly text: string;
  /** True when the comment is the only thing on its line. */
  readonly ownLine: boolean;
}

export interface LexResult {
  readonly tokens: readonly Token[];
  readonly comments: readonly Comment[];
  readonly errors: readonly Diagnostic[];
}

/** Units a duration literal may carry; `2ep` is two epochs, `500step` five hundred optimizer steps. */
export const DURATION_UNITS = ['ep', 'step'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

const PUNCT: Record<string, TokenKind> = {
  '{': 'lbrace',
  '}': 'rbrace',
  '(': 'lparen',
  ')': 'rparen',
  '[': 'lbracket',
  ']': 'rbracket',
  '=': 'eq',
  ',': 'comma',
  ':': 'colon',
  ';': 'semicolon',
};

export function lex(text: string): LexResult {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  const errors: Diagnostic[] = [];
  let i = 0;
  let lineStart = true;
  const n = text.length;

  const push = (kind: TokenKind, start: number, end: number) => {
    tokens.push({ kind, span: { start, end }, text: text.slice(start, end), lineStart });
    lineStart = false;
  };

  while (i < n) {
    const c = text[i]!;
    if (c === '\n' || c === '\r') {
      lineStart = true;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\uFEFF') {
      i++;
      continue;
    }
    if (c === '#') {
      const start = i;
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
      comments.push({ span: { start, end: i }, text: text.slice(start, i), ownLine: lineStart });
      continue;
    }
    if (isIdentStart(c)) {
      const start = i;
      while (i < n && isIdentPart(text[i]!)) i++;
      push('ident', start, i);
      continue;
    }
    if (isDigit(c) || ((c === '-' || c === '.') && isDigit(text[i + 1] ?? '')) || (c === '-' && text[i + 1] === '.' && isDigit(text[i + 2] ?? ''))) {
      i = lexNumber(text, i, push, errors);
      continue;
    }
    if (c === '"') {
      i = lexString(text, i, push, errors);
      continue;
    }
    const prev = tokens[tokens.length - 1];
    if (c === '.' && prev?.kind === 'ident' && prev.span.end === i && isIdentStart(text[i + 1] ?? '')) {
      push('dot', i, i + 1);
      i++;
      continue;
    }
    const kind = PUNCT[c];
    if (kind !== undefined) {
      push(kind, i, i + 1);
      i++;
      continue;
    }
    // Group a run of unexpected characters into one error token so one typo yields one diagnostic.
    const start = i;
    while (i < n && !isBoundary(text[i]!)) i++;
    if (i === start) i++;
    push('error', start, i);
    errors.push(diagnostic(CODES.unexpectedCharacter, 'error', { start, end: i }, `unexpected character${i - start > 1 ? 's' : ''} '${text.slice(start, i)}'`));
  }
  tokens.push({ kind: 'eof', span: { start: n, end: n }, text: '', lineStart: true });
  return { tokens, comments, errors };
}

type Push = (kind: TokenKind, start: number, end: number) => void;

function lexNumber(text: string, start: number, push: Push, errors: Diagnostic[]): number {
  let i = start;
  if (text[i] === '-') i++;
  while (isDigit(text[i] ?? '')) i++;
  const intEnd = i;
  const isInteger = () => i === intEnd;
  if (text[i] === '.' && isDigit(text[i + 1] ?? '')) {
    i++;
    while (isDigit(text[i] ?? '')) i++;
  }
  if ((text[i] === 'e' || text[i] === 'E') && (isDigit(text[i + 1] ?? '') || ((text[i + 1] === '-' || text[i + 1] === '+') && isDigit(text[i + 2] ?? '')))) {
    i += 2;
    while (isDigit(text[i] ?? '')) i++;
  }
  // A ratio such as `2:4` is two integers joined by a colon with no spaces.
  if (isInteger() && text[i] === ':' && isDigit(text[i + 1] ?? '') && text[start] !== '-') {
    i++;
    while (isDigit(text[i] ?? '')) i++;
    push('ratio', start, i);
    return i;
  }
  if (text[i] === '%') {
    push('percent', start, i + 1);
    return i + 1;
  }
  if (isIdentStart(text[i] ?? '')) {
    const unitStart = i;
    while (isIdentPart(text[i] ?? '')) i++;
    const unit = text.slice(unitStart, i);
    if (!(DURATION_UNITS as readonly string[]).includes(unit)) {
      const hint = unit.startsWith('e') ? 'ep' : unit.startsWith('s') ? 'step' : undefined;
      errors.push(
        diagnostic(
          CODES.badNumber,
          'error',
          { start: unitStart, end: i },
          `unknown unit '${unit}': durations are written with 'ep' (epochs) or 'step' (optimizer steps)${hint ? `; did you mean '${hint}'?` : ''}`,
          hint ? { fixes: [{ title: `Change unit to '${hint}'`, edits: [{ span: { start: unitStart, end: i }, newText: hint }], preferred: true }] } : {},
        ),
      );
    }
    push('duration', start, i);
    return i;
  }
  push('number', start, i);
  return i;
}

function lexString(text: string, start: number, push: Push, errors: Diagnostic[]): number {
  let i = start + 1;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < n && text[i + 1] !== '\n') {
      i += 2;
      continue;
    }
    if (c === '"') {
      push('string', start, i + 1);
      return i + 1;
    }
    if (c === '\n' || c === '\r') break;
    i++;
  }
  push('string', start, i);
  errors.push(diagnostic(CODES.unterminatedString, 'error', { start, end: i }, 'unterminated string: add a closing \'"\''));
  return i;
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function isIdentPart(c: string): boolean {
  return isIdentStart(c) || isDigit(c);
}

function isBoundary(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '#' || c === '"' || isIdentPart(c) || PUNCT[c] !== undefined;
}

/** Decodes the escapes of a string token's text (with or without its closing quote). */
export function unquote(tokenText: string): string {
  const body = tokenText.endsWith('"') && tokenText.length >= 2 ? tokenText.slice(1, -1) : tokenText.slice(1);
  return body.replace(/\\(.)/g, (_m, ch: string) => (ch === 'n' ? '\n' : ch === 't' ? '\t' : ch));
}
