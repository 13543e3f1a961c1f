// The moment the extension's bundle started to evaluate its modules: extension.ts imports this
// first, so the activation time the extension reports covers loading its code as well as
// `activate` itself (VS Code's own figure also counts reading and parsing the file).

import { performance } from 'node:perf_hooks';

export const LOAD_STARTED_MS = performance.now();
