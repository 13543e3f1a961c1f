// How the editor names a run's backend and adapter: the run table's cell and tooltip, the status bar's label.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adapterDetail, adapterName, backendLabel } from '../backend-label';
import type { AdapterInfo, RunSummary } from '../protocol';
import { backendCell, backendTooltip } from '../webview/run-table';

// As Dawn names Mesa's lavapipe (runtime/engine/backend/adapter.ts reads these fields).
const LAVAPIPE: AdapterInfo = { vendor: 'mesa', architecture: 'software', device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1', software: true };
const NVIDIA: AdapterInfo = { vendor: 'nvidia', architecture: 'ada-lovelace', device: '', description: 'NVIDIA GeForce RTX 4090', software: false };

test('adapter names: the description up to its colon, marked when software; fallbacks when empty', () => {
  assert.equal(adapterName(LAVAPIPE), 'llvmpipe (software)');
  assert.equal(adapterName(NVIDIA), 'NVIDIA GeForce RTX 4090');
  assert.equal(adapterName({ ...NVIDIA, description: '', device: 'gfx1100' }), 'gfx1100');
  assert.equal(adapterName({ vendor: '', architecture: '', device: '', description: '', software: false }), 'unknown adapter');
  assert.equal(adapterName({ ...NVIDIA, description: 'A'.repeat(60) }), `${'A'.repeat(39)}…`);
});

test('backend labels: the adapter only on webgpu', () => {
  assert.equal(backendLabel('webgpu', LAVAPIPE), 'webgpu · llvmpipe (software)');
  assert.equal(backendLabel('webgpu', undefined), 'webgpu');
  assert.equal(backendLabel('native', undefined), 'native');
  assert.equal(adapterDetail(LAVAPIPE), 'mesa llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1, software adapter (no faster than the CPU backends)');
  assert.equal(adapterDetail(NVIDIA), 'NVIDIA GeForce RTX 4090');
});

test('run table: the backend cell names the adapter of a webgpu run; its tooltip says the rest', () => {
  const base: RunSummary = { id: 'r', recipe: 'tiny', status: 'finished', pid: 1, started: '2026-12-04T10:00:00.000Z', threads: 2, versions: { common: '1.30.0', node: '1.30.0' } };
  assert.equal(backendCell({ ...base, backend: 'webgpu', adapter: LAVAPIPE }), 'webgpu · llvmpipe (software)');
  assert.equal(backendCell({ ...base, backend: 'native' }), 'native ×2');
  assert.equal(backendCell({ ...base, backend: 'webgpu' }), 'webgpu', 'a webgpu run whose adapter was not named');
  assert.equal(backendCell({ id: 'r', recipe: 'tiny', status: 'running', pid: 1, started: base.started }), '');
  assert.equal(backendTooltip({ ...base, backend: 'webgpu', adapter: NVIDIA }), 'webgpu on NVIDIA GeForce RTX 4090; 2 thread(s); onnxruntime-common 1.30.0, onnxruntime-node 1.30.0');
  assert.equal(backendTooltip({ ...base, backend: 'native', versions: {} }), 'native; 2 thread(s)');
});
