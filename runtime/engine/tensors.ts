// Host tensors for feeding sessions.

import type { HostTensor } from './backend';

export function tensorOf(data: Float32Array, shape: readonly number[]): HostTensor {
  return { dtype: 'float32', shape: [...shape], data };
}

export function scalar(x: number): HostTensor {
  return { dtype: 'float32', shape: [], data: Float32Array.of(x) };
}

export function f32(a: ArrayLike<number>): Float32Array {
  return Float32Array.from(a);
}
