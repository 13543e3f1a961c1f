// ONNX serialization of compiler graphs: a hand-written protobuf writer and the ModelProto subset.

export * from './emit';
export * from './proto';
export * from './protobuf';
export * from './decode';
