import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture } from '../../runtime/testing/cursor';
import { signatureHelp } from '../features';

/** The signature at `$0` (label) and the name of the active parameter, or undefined for none. */
function check(marked: string, label: string | undefined, active?: string | null): void {
  const f = fixture(marked);
  const help = signatureHelp(f.analysis, f.position);
  if (label === undefined) {
    assert.equal(help, undefined, marked);
    return;
  }
  assert.ok(help, `no signature help for\n${marked}`);
  const sig = help.signatures[help.activeSignature ?? 0]!;
  assert.ok(sig.label.startsWith(label), `expected '${sig.label}' to start with '${label}'`);
  const index = help.activeParameter;
  const param = typeof index === 'number' ? sig.parameters?.[index] : undefined;
  const name = param && Array.isArray(param.label) ? sig.label.slice(param.label[0], param.label[1]).split(' ')[0] : null;
  assert.equal(name, active ?? null, marked);
}

const CASES: readonly [string, string, string | undefined, (string | null)?][] = [
  ['first positional parameter', 'train {\n  optimizer = adamp($0)\n}', 'adamp(lr = 0.001, beta1 = 0.9, beta2 = 0.999', 'lr'],
  ['named argument under the cursor', 'train {\n  optimizer = adamp(beta2: 0.9$0)\n}', 'adamp(', 'beta2'],
  ['after `name:`', 'train {\n  optimizer = adamp(lr: 1e-3, eps: $0', 'adamp(', 'eps'],
  ['a new argument after a named one has no parameter yet', 'train {\n  optimizer = adamp(lr: 1e-3, $0)\n}', 'adamp(', null],
  ['positional index', 'model mlp {\n  dense($0)\n}', 'dense(units, act = identity', 'units'],
  ['innermost call', 'train {\n  optimizer = sam(rho: 0.1, base: sgd(momentum: $0))\n}', 'sgd(lr = 0.1', 'momentum'],
  ['outer call after the inner one closes', 'train {\n  optimizer = sam(base: sgd(lr: 0.1), $0)\n}', 'sam(rho = 0.05', null],
  ['unclosed call while typing', 'train {\n  optimizer = sam(ad$0', 'sam(', null],
  ['not in a call', 'train {\n  optimizer = adam$0\n}', undefined],
  ['unknown technique', 'train {\n  optimizer = frob($0)\n}', undefined],
];

for (const [name, marked, label, active] of CASES) test(`signature help: ${name}`, () => check(marked, label, active));
