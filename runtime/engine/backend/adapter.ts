// Naming the GPU adapter. onnxruntime-node's WebGPU execution provider (its own Dawn) says nothing
// about the adapter it picked, so we ask WebGPU itself through the `webgpu` package (Dawn's Node
// bindings, an optional dependency) for the default adapter, which is the one onnxruntime's Dawn
// takes too on a machine with one GPU. Without the package the adapter is unknown, and 'auto'
// then does not pick webgpu (it cannot tell a GPU from a software rasterizer).

import type { AdapterInfo } from './types';

export type AdapterProbe = { readonly ok: true; readonly adapter: AdapterInfo } | { readonly ok: false; readonly reason: string };

/** The default WebGPU adapter, or why there is none. Never throws. */
export async function probeAdapter(spec = 'webgpu'): Promise<AdapterProbe> {
  let gpu: GpuLike;
  try {
    const m: unknown = require(spec);
    const create = typeof m === 'object' && m !== null ? (m as { create?: unknown }).create : undefined;
    if (typeof create !== 'function') return { ok: false, reason: `${spec} does not look like Dawn's Node bindings` };
    gpu = (create as (flags: string[]) => GpuLike)([]);
  } catch (e) {
    return { ok: false, reason: `the ${spec} package (Dawn's Node bindings, which name the adapter) did not load: ${firstLine(e)}` };
  }
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { ok: false, reason: 'WebGPU found no adapter (no GPU driver, or no Vulkan/Metal/D3D12 driver that Dawn accepts)' };
    return { ok: true, adapter: adapterInfo(adapter.info) };
  } catch (e) {
    return { ok: false, reason: `WebGPU's requestAdapter failed: ${firstLine(e)}` };
  }
}

/** Reads GPUAdapterInfo's fields (getters on Dawn's object) into plain data. */
export function adapterInfo(info: Readonly<Record<string, unknown>> | undefined): AdapterInfo {
  const text = (k: string) => (typeof info?.[k] === 'string' ? (info[k] as string) : '');
  const vendor = text('vendor');
  const architecture = text('architecture');
  const device = text('device');
  const description = text('description');
  const fallback = info?.['isFallbackAdapter'] === true;
  return { vendor, architecture, device, description, software: fallback || isSoftwareName([architecture, device, description].join(' ')) };
}

/** One line naming an adapter, e.g. `mesa llvmpipe: Mesa 25.0.7 (software)`. */
export function adapterLabel(a: AdapterInfo): string {
  const name = a.description || a.device || a.architecture || 'unknown adapter';
  const vendor = a.vendor && !name.toLowerCase().startsWith(a.vendor.toLowerCase()) ? `${a.vendor} ` : '';
  return `${vendor}${name}${a.software ? ' (software)' : ''}`;
}

// NOTE: Dawn reports lavapipe as architecture 'software' and isFallbackAdapter; SwiftShader and
// WARP are named in the device/description strings.
function isSoftwareName(s: string): boolean {
  return /\b(software|llvmpipe|lavapipe|swiftshader|warp|softpipe)\b/i.test(s);
}

interface GpuLike {
  requestAdapter(): Promise<{ readonly info: Readonly<Record<string, unknown>> } | null>;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}
