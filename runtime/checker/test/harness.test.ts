// The fixture marker harness itself: markers parse to spans, mismatches are reported, and
// rendering markers from diagnostics round-trips.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnostic, type Diagnostic } from '../../language';
import { compareDiagnostics, parseMarkers, renderMarkers } from '../../testing/fixtures';

const TEXT = `train {
  optimizer = sam(rho: -1)
#                      ^^ error M019: rho must be
#                 ^^^ warning M020 (to +1:1): spans
}
#^ error M016: no model
`;

test('markers give severity, code, span and message substring', () => {
  const m = parseMarkers(TEXT);
  const rho = TEXT.indexOf('-1');
  assert.deepEqual(m.map((e) => [e.severity, e.code, e.span, e.message]), [
    ['error', 'M019', { start: rho, end: rho + 2 }, 'rho must be'],
    ['warning', 'M020', { start: TEXT.indexOf('rho'), end: TEXT.indexOf('}') + 1 }, 'spans'],
    ['error', 'M016', { start: TEXT.indexOf('}'), end: TEXT.indexOf('}') + 1 }, 'no model'],
  ]);
});

test('comparison reports missing and unexpected diagnostics', () => {
  const rho = TEXT.indexOf('-1');
  const close = TEXT.indexOf('}');
  const good: Diagnostic[] = [
    diagnostic('M019', 'error', { start: rho, end: rho + 2 }, 'rho must be ≥ 0, found -1'),
    diagnostic('M020', 'warning', { start: TEXT.indexOf('rho'), end: close + 1 }, 'spans lines'),
    diagnostic('M016', 'error', { start: close, end: close }, 'no model block'),
  ];
  assert.deepEqual(compareDiagnostics(TEXT, parseMarkers(TEXT), good), []);
  const wrongSpan = [good[0]!, good[1]!, diagnostic('M016', 'error', { start: close + 1, end: close + 1 }, 'no model block')];
  const problems = compareDiagnostics(TEXT, parseMarkers(TEXT), wrongSpan);
  assert.equal(problems.length, 2);
  assert.match(problems[0]!, /^missing/);
  assert.match(problems[1]!, /^unexpected/);
  assert.equal(compareDiagnostics(TEXT, parseMarkers(TEXT), [...good, diagnostic('M001', 'error', { start: 0, end: 1 }, 'x')]).length, 1);
  assert.equal(compareDiagnostics(TEXT, parseMarkers(TEXT), [good[0]!, good[1]!]).length, 1);
});

test('rendering markers from diagnostics round-trips, columns 0 and 1 included', () => {
  const text = 'ab {\n  cd = 1\n}\n';
  const ds: Diagnostic[] = [
    diagnostic('M010', 'error', { start: 0, end: 2 }, 'unknown block'),
    diagnostic('M004', 'error', { start: 1, end: 1 }, 'empty at column 1'),
    diagnostic('M011', 'error', { start: 7, end: 9 }, 'unknown attribute with a long message that gets cut after forty characters'),
    diagnostic('M020', 'warning', { start: 7, end: 15 }, 'multi-line'),
  ];
  const rendered = renderMarkers(text, ds);
  const back = parseMarkers(rendered);
  // Offsets move with the inserted marker lines; compare line/column-independent facts instead.
  assert.deepEqual(back.map((e) => [e.code, rendered.slice(e.span.start, e.span.end)]), [
    ['M010', 'ab'],
    ['M004', 'b'],
    ['M011', 'cd'],
    ['M020', rendered.slice(rendered.indexOf('cd'), rendered.indexOf('}') + 1)],
  ]);
  assert.ok(back[2]!.message.startsWith('unknown attribute with a long message'));
  assert.ok(back[2]!.message.length < 60);
  // Rendering again from re-computed diagnostics is stable.
  assert.equal(renderMarkers(rendered, []), text);
});
