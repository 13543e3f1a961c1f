// @ts-check
// What this machine's WebGPU offers, asked the way the engine asks (the `webgpu` package's
// default adapter), so the UI scenario knows what `auto` picks and whether a webgpu run can work.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from './env.mjs';

const PROBE = `import { create } from 'webgpu';
const a = await create([]).requestAdapter();
const i = a?.info;
console.log(JSON.stringify(i ? { description: i.description, device: i.device, architecture: i.architecture, fallback: i.isFallbackAdapter === true } : null));
process.exit(0);`;

/**
 * `{ kind: 'none', reason }` without an adapter (no Vulkan/Metal/D3D12 driver, or no webgpu
 * package), else the adapter's kind and description.
 * @returns {{ kind: 'hardware' | 'software', description: string } | { kind: 'none', reason: string }}
 */
export function probeWebgpu() {
  const runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-e2e-xdg-'));
  try {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE], { cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, XDG_RUNTIME_DIR: runtime } });
    const line = r.stdout.trim().split('\n').at(-1) ?? '';
    if (r.status !== 0 || (!line.startsWith('{') && line !== 'null')) return { kind: 'none', reason: `the probe failed (${r.status ?? r.signal}): ${r.stderr.trim().split('\n').at(-1) ?? ''}` };
    const info = JSON.parse(line);
    if (!info) return { kind: 'none', reason: 'WebGPU found no adapter' };
    const description = String(info.description || info.device || info.architecture);
    // The engine's test for a software adapter (runtime/engine/backend/adapter.ts), restated.
    const software = info.fallback || /\b(software|llvmpipe|lavapipe|swiftshader|warp|softpipe)\b/i.test(`${info.architecture} ${info.device} ${info.description}`);
    return { kind: software ? 'software' : 'hardware', description };
  } finally {
    fs.rmSync(runtime, { recursive: true, force: true });
  }
}
