// Writes the ONNX fixtures of runtime/testing/onnx-models.ts (compiler graphs with seeded constant
// weights, exported with toOnnx) to test-fixtures/onnx/<name>.onnx. No PyTorch needed.
// Usage, from the repository root after a build: node test-fixtures/onnx/generate.mjs [build dir, default out]

import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const buildDir = path.resolve(process.argv[2] ?? 'out');
const require = createRequire(import.meta.url);
const { ONNX_FIXTURES, fixtureBytes, fixturePath } = require(path.join(buildDir, 'runtime', 'testing', 'onnx-models.js'));

for (const fixture of ONNX_FIXTURES) {
  const bytes = fixtureBytes(fixture);
  fs.writeFileSync(fixturePath(fixture.name), bytes);
  console.log(`${fixturePath(fixture.name)}: ${bytes.length} bytes`);
}
