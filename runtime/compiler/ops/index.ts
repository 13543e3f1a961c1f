// The op registry (by ONNX op_type) and the functional builder API of every op.

import type { OpDef } from '../ir';
import { Add, Div, Mul, Pow, Sub } from './binary';
import { Cast, Clip, Equal, Greater, Less, Max, Mod, Where } from './compare';
import { Conv, ConvTranspose } from './conv';
import { Expand } from './expand';
import { ContractRows, Gemm, MatMul } from './matmul';
import { BatchNormalization, LayerNormalization } from './norm';
import { AveragePool, MaxPool, MaxPoolGrad, MaxPoolValues } from './pool';
import { ReduceMax, ReduceMean, ReduceSum, ReduceSumSquare } from './reduce';
import { Flatten, Reshape, Transpose } from './reshape';
import { GatherElements, GatherRows, ScatterElements } from './scatter';
import { Concat, Pad, Slice, Split } from './slice';
import { LogSoftmax, Softmax, SoftmaxCrossEntropy } from './softmax';
import { Abs, Erf, Exp, Log, Neg, Reciprocal, Relu, Round, Sigmoid, Sign, Sqrt, Tanh } from './unary';

export const OPS: ReadonlyMap<string, OpDef> = new Map(
  [
    Add, Sub, Mul, Div, Pow,
    Neg, Relu, Tanh, Sigmoid, Erf, Exp, Log, Sqrt, Reciprocal, Abs, Sign, Round,
    Greater, Less, Equal, Mod, Where, Cast, Clip, Max,
    MatMul, Gemm, ContractRows, Softmax, LogSoftmax, SoftmaxCrossEntropy,
    ReduceSum, ReduceMean, ReduceMax, ReduceSumSquare, Expand,
    Reshape, Flatten, Transpose, Slice, Pad, Concat, Split,
    Conv, ConvTranspose, MaxPool, MaxPoolValues, MaxPoolGrad, AveragePool,
    GatherElements, GatherRows, ScatterElements,
    LayerNormalization, BatchNormalization,
  ].map((op) => [op.name, op]),
);

export * from './binary';
export * from './compare';
export * from './conv';
export * from './derived';
export * from './expand';
export * from './matmul';
export * from './norm';
export * from './pool';
export * from './reduce';
export * from './reshape';
export * from './scatter';
export * from './slice';
export * from './softmax';
export * from './unary';
