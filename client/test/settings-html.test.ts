import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readSettings, runsDirFor, SETTING_DEFAULTS, unavailableBackend } from '../settings';
import { panelHtml } from '../panel/html';

test('settings: defaults for missing or invalid values', () => {
  assert.deepEqual(readSettings(() => undefined), SETTING_DEFAULTS);
  const bad: Record<string, unknown> = { 'runs.backend': 'cuda', 'runs.threads': 0, 'runs.folder': ' ', 'runs.maxParallel': 1.5, 'chart.smoothing': 1 };
  assert.deepEqual(readSettings((k) => bad[k]), SETTING_DEFAULTS);
});

test('settings: valid values are kept (webgpu included); runs folder resolution', () => {
  const good: Record<string, unknown> = { 'runs.backend': 'webgpu', 'runs.threads': 4, 'runs.folder': 'out/runs', 'runs.maxParallel': 3, 'chart.smoothing': 0 };
  const s = readSettings((k) => good[k]);
  assert.deepEqual(s, { backend: 'webgpu', threads: 4, runsFolder: 'out/runs', maxParallel: 3, smoothing: 0 });
  const ws = path.resolve('ws');
  assert.equal(runsDirFor(s, ws, path.join(ws, 'a', 'r.minima')), path.join(ws, 'out', 'runs'));
  assert.equal(runsDirFor(s, undefined, path.join(ws, 'a', 'r.minima')), path.join(ws, 'a', 'out', 'runs'));
  assert.equal(runsDirFor({ ...s, runsFolder: path.resolve('abs') }, ws, 'r.minima'), path.resolve('abs'));
});

test('settings: native and webgpu are refused, with the way out, where onnxruntime-node is not installed', () => {
  assert.match(unavailableBackend('webgpu', false) ?? '', /^the webgpu backend needs onnxruntime-node, .*generic VSIX runs wasm only.*minima-linux-x64\.vsix.*"auto" or "wasm"/);
  assert.match(unavailableBackend('native', false) ?? '', /^the native backend needs onnxruntime-node/);
  assert.equal(unavailableBackend('auto', false), undefined);
  assert.equal(unavailableBackend('wasm', false), undefined);
  assert.equal(unavailableBackend('webgpu', true), undefined);
});

test('panel html: strict CSP, no remote content, script only with the nonce', () => {
  const html = panelHtml({ cspSource: 'vscode-webview://x', scriptUri: 'vscode-webview://x/dist/webview.js', styleUri: 'vscode-webview://x/dist/webview.css', nonce: 'abc123' });
  const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-abc123'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline|https?:/);
  assert.equal([...html.matchAll(/<script\b/g)].length, 1);
  assert.match(html, /<script nonce="abc123" src="vscode-webview:\/\/x\/dist\/webview.js">/);
  assert.doesNotMatch(html.replace(/vscode-webview:\/\/[^"]*/g, ''), /https?:\/\//);
});
