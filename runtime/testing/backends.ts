// The CPU backends a reference test runs on: wasm always, native where onnxruntime-node loads
// (else its cases are skipped, saying why).

import { type BackendName, loadNative } from '../engine/backend';

const native = loadNative();

export const CPU_BACKENDS: readonly { readonly name: BackendName; readonly skip: string | false }[] = [
  { name: 'wasm', skip: false },
  { name: 'native', skip: native.ok ? false : `native backend unavailable: ${native.ok ? '' : native.reason}` },
];
