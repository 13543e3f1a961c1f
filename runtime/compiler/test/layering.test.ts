// Architecture invariant: runtime/compiler knows graphs and (later) ONNX; nothing about syntax,
// LSP or vscode. Its sources import only each other and node built-ins.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join('runtime', 'compiler');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'test' ? [] : sources(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

test('runtime/compiler imports nothing outside itself', () => {
  const offenders: string[] = [];
  for (const file of sources(ROOT)) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)) {
      const spec = m[1] ?? '';
      const inside = spec.startsWith('.') && path.resolve(path.dirname(file), spec).startsWith(path.resolve(ROOT));
      if (!inside && !spec.startsWith('node:')) offenders.push(`${file}: ${spec}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('the index states the invariant', () => {
  assert.match(fs.readFileSync(path.join(ROOT, 'index.ts'), 'utf8'), /Knows graphs and \(later\) ONNX; nothing about syntax, LSP or vscode\./);
});
