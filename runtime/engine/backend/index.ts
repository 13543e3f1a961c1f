// Execution backends: onnxruntime-web (wasm) and onnxruntime-node (native) behind one interface.

export * from './types';
export * from './ort-session';
export * from './native';
export * from './wasm';
export * from './open';
