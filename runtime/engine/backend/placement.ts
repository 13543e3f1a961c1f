// Which execution provider runs each node of a graph: onnxruntime assigns nodes a provider has no
// kernel for (and shape arithmetic) to the CPU, which on webgpu means a copy between the GPU and
// the host inside every run. onnxruntime prints the assignment only in its verbose log, which
// its C++ side writes to the process's stderr, so a child process creates the sessions with
// verbose logging and this module reads the "Node placements" blocks back.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface NodePlacement {
  readonly op: string;
  readonly node: string;
}

/** Per graph: node counts by provider (e.g. WebGpuExecutionProvider, CPUExecutionProvider), and the nodes where onnxruntime names them (when a graph is split between providers). */
export interface GraphPlacement {
  readonly graph: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly providers: Readonly<Record<string, readonly NodePlacement[]>>;
}

export type PlacementResult = { readonly ok: true; readonly graphs: readonly GraphPlacement[] } | { readonly ok: false; readonly message: string };

/** The placements of `graphs` on onnxruntime-node's `provider` ('webgpu' or 'cpu'). Never throws. */
export async function placements(graphs: readonly { readonly name: string; readonly bytes: Uint8Array }[], provider: 'webgpu' | 'cpu', timeoutMs = 120_000): Promise<PlacementResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-placement-'));
  try {
    const files = graphs.map((g, i) => {
      const file = path.join(dir, `${i}.onnx`);
      fs.writeFileSync(file, g.bytes);
      return file;
    });
    const env = { ...process.env, ...(process.env['XDG_RUNTIME_DIR'] ? {} : { XDG_RUNTIME_DIR: dir }) };
    const child = spawn(process.execPath, [path.join(__dirname, 'placement-child.js'), provider, ...files], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => (log += s));
    const code = await new Promise<number | string>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve('timed out');
      }, timeoutMs);
      child.on('error', (e) => resolve(e.message));
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c ?? 1);
      });
    });
    if (code !== 0) return { ok: false, message: `the ${provider} sessions could not be created (${code}): ${lastError(log)}` };
    return { ok: true, graphs: parsePlacements(log, graphs.map((g) => g.name)) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Reads onnxruntime's verbose log: a `@@graph <k>` line (written by the child) before each session's "Node placements" block. */
export function parsePlacements(log: string, names: readonly string[]): GraphPlacement[] {
  const out: { graph: string; providers: Record<string, NodePlacement[]>; counts: Record<string, number> }[] = [];
  let current: (typeof out)[number] | undefined;
  let provider: string | undefined;
  for (const line of log.split('\n')) {
    const marker = /^@@graph (\d+)$/.exec(line.trim());
    if (marker) {
      current = { graph: names[Number(marker[1])] ?? `graph ${marker[1]}`, providers: {}, counts: {} };
      out.push(current);
      provider = undefined;
      continue;
    }
    const all = /All nodes placed on \[(\w+)\]/.exec(line);
    if (all && current) {
      // One provider for the whole graph: onnxruntime gives the count, not the nodes.
      current.providers[all[1]!] = [];
      current.counts[all[1]!] = Number(/Number of nodes: (\d+)/.exec(line)?.[1] ?? 0);
      provider = undefined;
      continue;
    }
    const placed = /Node\(s\) placed on \[(\w+)\]/.exec(line);
    if (placed && current) {
      provider = placed[1]!;
      current.providers[provider] ??= [];
      current.counts[provider] = Number(/Number of nodes: (\d+)/.exec(line)?.[1] ?? 0);
      continue;
    }
    const node = /VerifyEachNodeIsAssignedToAnEp\]\s{3,}(\S+) \((.*)\)\s*$/.exec(line);
    if (node && current && provider) current.providers[provider]!.push({ op: node[1]!, node: node[2]! });
  }
  return out;
}

function lastError(log: string): string {
  const lines = log.split('\n').filter((l) => /\[E:|Error|error/.test(l));
  return (lines[lines.length - 1] ?? log.trim().split('\n').pop() ?? '').replace(/\x1b\[[0-9;]*m/g, '').trim();
}
