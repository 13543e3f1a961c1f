// The webview's DOM modules (client/webview/ui/) are bundled by webpack without type checking
// (ts-loader's transpileOnly) and excluded from the root tsconfig (they need DOM types): here
// they are type-checked with their own tsconfig, and the dashboard is held to knowing nothing of
// `vscode`, so that the HTML report can mount it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const UI = path.join(ROOT, 'client', 'webview', 'ui');

test('the webview UI type-checks under its own tsconfig (DOM, strict)', () => {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(UI, 'tsconfig.json')], { encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
});

test('only the webview entry (main.ts) knows VS Code: the dashboard modules never name acquireVsCodeApi or import vscode', () => {
  for (const file of fs.readdirSync(UI).filter((f) => f.endsWith('.ts') && f !== 'main.ts')) {
    const text = fs.readFileSync(path.join(UI, file), 'utf8');
    assert.doesNotMatch(text, /acquireVsCodeApi|from 'vscode'|require\('vscode'\)/, file);
    for (const m of text.matchAll(/from '([^']+)'/g)) assert.ok(m[1]!.startsWith('.') || m[1] === 'uplot', `${file} imports ${m[1]}`);
  }
});
