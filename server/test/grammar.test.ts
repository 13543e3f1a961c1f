// Checks the TextMate grammar without an editor: every regex compiles as JavaScript (so it avoids
// Oniguruma-only syntax such as `\h`, `\G`, `\A`, `\z`, possessive quantifiers and variable-length
// lookbehind), and a small tokenizer that follows TextMate's rules (leftmost match wins, ties go to
// the earlier pattern, begin/end rules span lines) gives sample lines the expected scopes.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

interface Rule {
  readonly include?: string;
  readonly match?: string;
  readonly name?: string;
  readonly captures?: Readonly<Record<string, { readonly name: string }>>;
  readonly begin?: string;
  readonly beginCaptures?: Readonly<Record<string, { readonly name: string }>>;
  readonly end?: string;
  readonly endCaptures?: Readonly<Record<string, { readonly name: string }>>;
  readonly patterns?: readonly Rule[];
}

interface Grammar {
  readonly scopeName: string;
  readonly patterns: readonly Rule[];
  readonly repository: Readonly<Record<string, Rule>>;
}

const grammar = JSON.parse(readFileSync(join(process.cwd(), 'syntaxes', 'minima.tmLanguage.json'), 'utf8')) as Grammar;

test('grammar: every regex compiles in JavaScript and avoids Oniguruma-only syntax', () => {
  const all: string[] = [];
  const visit = (r: Rule) => {
    for (const src of [r.match, r.begin, r.end]) if (src !== undefined) all.push(src);
    r.patterns?.forEach(visit);
  };
  grammar.patterns.forEach(visit);
  Object.values(grammar.repository).forEach(visit);
  assert.ok(all.length > 10);
  for (const src of all) {
    assert.doesNotThrow(() => new RegExp(src, 'dg'), src);
    assert.doesNotMatch(src, /\\[hHGAzZ]|[*+?]\+|\(\?<[=!][^)]*[*+]/, `Oniguruma-only syntax in ${src}`);
  }
});

test('grammar: every include resolves', () => {
  const visit = (r: Rule) => {
    if (r.include) assert.ok(grammar.repository[r.include.slice(1)], r.include);
    r.patterns?.forEach(visit);
  };
  grammar.patterns.forEach(visit);
  Object.values(grammar.repository).forEach(visit);
});

/** `text` → scope for each token of the line, e.g. `{ optimizer: 'variable.other.property.minima' }`. */
const CASES: readonly [string, Readonly<Record<string, string>>][] = [
  ['# a comment', { '#': 'punctuation.definition.comment.minima', ' a comment': 'comment.line.number-sign.minima' }],
  ['train {', { train: 'keyword.other.block.minima', '{': 'punctuation.section.block.minima' }],
  ['data digits {', { data: 'keyword.other.block.minima', digits: 'variable.other.minima' }],
  ['  epochs = 30', { epochs: 'variable.other.property.minima', '=': 'keyword.operator.assignment.minima', '30': 'constant.numeric.minima' }],
  ['  split = 80%', { '80': 'constant.numeric.minima', '%': 'keyword.other.unit.minima' }],
  ['  from = 10ep', { '10': 'constant.numeric.minima', ep: 'keyword.other.unit.minima' }],
  ['  every = 500step', { step: 'keyword.other.unit.minima' }],
  ['  pattern = 2:4', { '2:4': 'constant.numeric.ratio.minima' }],
  ['  lr = -1.5e-3', { '-1.5e-3': 'constant.numeric.minima' }],
  ['  shuffle = true', { true: 'constant.language.boolean.minima' }],
  ['  export = "out/a\\"b.onnx"', { '"': 'punctuation.definition.string.begin.minima', 'out/a': 'string.quoted.double.minima', '\\"': 'constant.character.escape.minima' }],
  ['  optimizer = sam(rho: 0.05, base: adamp(lr: 1e-3))', { sam: 'entity.name.function.minima', rho: 'variable.parameter.minima', base: 'variable.parameter.minima', adamp: 'entity.name.function.minima', lr: 'variable.parameter.minima', '1e-3': 'constant.numeric.minima' }],
  ['  fc1: dense(128, act: relu)', { fc1: 'entity.name.variable.layer.minima', dense: 'entity.name.function.minima', act: 'variable.parameter.minima', relu: 'variable.other.minima' }],
  ['  layers = [dense_1, dense_2]', { '[': 'punctuation.section.brackets.minima', dense_1: 'variable.other.minima', ',': 'punctuation.separator.comma.minima' }],
  ['  dense_2 = 3', { dense_2: 'variable.other.property.minima' }],
];

for (const [line, expect] of CASES) {
  test(`grammar: ${line.trim()}`, () => {
    const tokens = tokenize([line])[0]!;
    for (const [text, scope] of Object.entries(expect)) {
      const tok = tokens.find((t) => t.text === text);
      assert.ok(tok, `no token '${text}' in ${JSON.stringify(tokens)}`);
      assert.equal(tok.scopes[tok.scopes.length - 1], scope, text);
    }
  });
}

test('grammar: named arguments of a call spanning lines', () => {
  const lines = tokenize(['  optimizer = sam(', '    rho: 0.05,', '    base: sgd()', '  )', '  fc: dense(3)']);
  assert.deepEqual(lines[1]!.find((t) => t.text === 'rho')?.scopes.at(-1), 'variable.parameter.minima');
  assert.deepEqual(lines[2]!.find((t) => t.text === 'base')?.scopes.at(-1), 'variable.parameter.minima');
  assert.deepEqual(lines[4]!.find((t) => t.text === 'fc')?.scopes.at(-1), 'entity.name.variable.layer.minima');
});

test('grammar: an unterminated string ends with its line', () => {
  const lines = tokenize(['  export = "out', '  every = 2ep']);
  assert.deepEqual(lines[0]!.find((t) => t.text === 'out')?.scopes.at(-1), 'string.quoted.double.minima');
  assert.deepEqual(lines[1]!.find((t) => t.text === 'every')?.scopes, ['variable.other.property.minima']);
});

interface Token {
  readonly text: string;
  readonly scopes: readonly string[];
}

interface Active {
  readonly rule: Rule;
  readonly end: RegExp;
}

/** A minimal TextMate tokenizer: enough of the algorithm to check this grammar's intent. */
function tokenize(lines: readonly string[]): Token[][] {
  const stack: Active[] = [];
  return lines.map((line) => {
    const out: Token[] = [];
    let pos = 0;
    const scopesNow = () => stack.flatMap((a) => (a.rule.name ? [a.rule.name] : []));
    const emit = (start: number, end: number, scopes: readonly string[]) => {
      if (end > start) out.push({ text: line.slice(start, end), scopes: [...scopesNow(), ...scopes] });
    };
    while (pos < line.length) {
      const top = stack[stack.length - 1];
      const candidates = flatten(top ? (top.rule.patterns ?? []) : grammar.patterns);
      let best: { rule: Rule | undefined; m: RegExpExecArray } | undefined;
      if (top) {
        top.end.lastIndex = pos;
        const m = top.end.exec(line);
        if (m) best = { rule: undefined, m };
      }
      for (const r of candidates) {
        const re = new RegExp((r.match ?? r.begin)!, 'dg');
        re.lastIndex = pos;
        const m = re.exec(line);
        if (m && (!best || m.index < best.m.index)) best = { rule: r, m };
      }
      if (!best) break;
      const { rule, m } = best;
      emit(pos, m.index, []);
      if (!rule) {
        emitCaptures(m, top!.rule.endCaptures, [], emit);
        stack.pop();
      } else if (rule.begin) {
        stack.push({ rule, end: new RegExp(rule.end!, 'dg') });
        emitCaptures(m, rule.beginCaptures, [], emit);
      } else {
        emitCaptures(m, rule.captures, rule.name ? [rule.name] : [], emit);
      }
      // An empty match of a pattern (not of an end, which pops) must still move on.
      pos = Math.max(m.index + m[0].length, rule && m[0].length === 0 ? pos + 1 : pos);
    }
    emit(pos, line.length, []);
    // A rule whose end can match at the end of the line (an unterminated string) closes there.
    const open = stack[stack.length - 1];
    if (open) {
      open.end.lastIndex = line.length;
      const m = open.end.exec(line);
      if (m && m.index === line.length) stack.pop();
    }
    return out;
  });
}

/** Splits a match into tokens: captured groups get their scope, the rest the rule's. */
function emitCaptures(
  m: RegExpExecArray,
  captures: Rule['captures'],
  outer: readonly string[],
  emit: (start: number, end: number, scopes: readonly string[]) => void,
): void {
  const start = m.index;
  const end = start + m[0].length;
  const whole = captures?.['0']?.name;
  const groups = Object.entries(captures ?? {})
    .filter(([k]) => k !== '0')
    .flatMap(([k, v]) => {
      const span = m.indices?.[Number(k)];
      return span ? [{ start: span[0], end: span[1], name: v.name }] : [];
    })
    .sort((x, y) => x.start - y.start);
  const base = whole ? [...outer, whole] : outer;
  let at = start;
  for (const g of groups) {
    emit(at, g.start, base);
    emit(g.start, g.end, [...base, g.name]);
    at = g.end;
  }
  emit(at, end, base);
}

function flatten(rules: readonly Rule[]): Rule[] {
  return rules.flatMap((r) => (r.include ? flatten([grammar.repository[r.include.slice(1)]!]) : r.match || r.begin ? [r] : flatten(r.patterns ?? [])));
}
