// Execution backends: onnxruntime-web (wasm), onnxruntime-node (native CPU and webgpu) behind one interface.

export * from './types';
export * from './ort-session';
export * from './native';
export * from './wasm';
export * from './open';
export * from './webgpu';
export * from './adapter';
export * from './placement';
