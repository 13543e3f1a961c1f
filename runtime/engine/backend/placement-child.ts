// The child of placements() (placement.ts): creates one session per model file on the given
// provider with onnxruntime's verbose log on, marking each on stderr first. Writes nothing else.

import * as fs from 'node:fs';
import { loadNative } from './native';

async function main(provider: string, files: readonly string[]): Promise<void> {
  const native = loadNative();
  if (!native.ok) throw new Error(native.reason);
  for (const [k, file] of files.entries()) {
    // NOTE: a synchronous write, so the marker lands before the session's own log lines.
    fs.writeSync(2, `\n@@graph ${k}\n`);
    const s = await native.module.InferenceSession.create(fs.readFileSync(file), { executionProviders: [provider], logSeverityLevel: 0, logVerbosityLevel: 0 });
    await s.release();
  }
}

main(process.argv[2] ?? 'webgpu', process.argv.slice(3)).then(
  () => process.exit(0),
  (e: unknown) => {
    fs.writeSync(2, `Error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
