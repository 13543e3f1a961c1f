// `minima debug placement <recipe> [--backend webgpu|native] [--json]`: which execution provider
// runs each node of the recipe's train and evaluation graphs. On webgpu every node placed on the
// CPU is a copy between the GPU and the host inside each step: the list says which to avoid.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../analysis';
import { graphPlacements, type GraphPlacement } from '../engine';
import { parseCommandArgs } from './args';
import { formatDiagnostic } from './check';
import { EXIT } from './exit-codes';
import type { Io } from './main';

const USAGE = `usage: minima debug placement <recipe.minima> [--backend webgpu|native] [--json]

  Compiles the recipe's train and evaluation graphs as \`minima run\` does and lists where
  onnxruntime places their nodes (default: webgpu). Nodes on CPUExecutionProvider are listed
  by op and node name.
`;

export async function debugCommand(args: readonly string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '-h' || sub === '--help') {
    io.out(USAGE);
    return EXIT.ok;
  }
  if (sub !== 'placement') {
    io.err(`minima debug: ${sub === undefined ? 'give a subcommand' : `unknown subcommand '${sub}'`}\n${USAGE}`);
    return EXIT.usage;
  }
  const parsed = parseCommandArgs(rest, { backend: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (typeof parsed === 'string') {
    io.err(`minima debug placement: ${parsed}\n${USAGE}`);
    return EXIT.usage;
  }
  if (parsed.values['help']) {
    io.out(USAGE);
    return EXIT.ok;
  }
  const backend = parsed.values['backend'] ?? 'webgpu';
  if (backend !== 'webgpu' && backend !== 'native') {
    io.err(`minima debug placement: --backend takes webgpu or native, not ${String(backend)}\n`);
    return EXIT.usage;
  }
  const [file, more] = parsed.positionals;
  if (file === undefined || more !== undefined) {
    io.err(`minima debug placement: give one recipe\n${USAGE}`);
    return EXIT.usage;
  }
  const recipePath = path.resolve(io.cwd, file);
  let text: string;
  try {
    text = fs.readFileSync(recipePath, 'utf8');
  } catch (e) {
    io.err(`minima debug placement: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
    return EXIT.usage;
  }
  const analysis = analyze(text);
  for (const d of analysis.diagnostics) if (d.severity === 'error') io.err(`${formatDiagnostic(file, analysis.lines, d)}\n`);
  if (!analysis.recipe) return EXIT.failed;
  const result = await graphPlacements(analysis.recipe, { recipePath, provider: backend === 'webgpu' ? 'webgpu' : 'cpu' });
  if (!result.ok) {
    io.err(`minima debug placement: ${result.message}\n`);
    return EXIT.failed;
  }
  if (parsed.values['json']) io.out(`${JSON.stringify(result.graphs, null, 2)}\n`);
  else for (const g of result.graphs) io.out(describe(g));
  return EXIT.ok;
}

function describe(g: GraphPlacement): string {
  const counts = Object.entries(g.counts).map(([p, n]) => `${n} on ${p}`);
  const cpu = g.providers['CPUExecutionProvider'] ?? [];
  const lines = [`${g.graph}: ${counts.join(', ') || 'no placement reported'}`];
  const gpu = Object.keys(g.counts).some((p) => p !== 'CPUExecutionProvider');
  if (gpu) for (const n of cpu) lines.push(`  CPU  ${n.op.padEnd(20)} ${n.node}`);
  return `${lines.join('\n')}\n`;
}
