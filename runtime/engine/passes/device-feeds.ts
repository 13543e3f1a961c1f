// Host inputs that change rarely (pruning masks) kept as device tensors: uploaded when the host
// array changes, reused otherwise, so a fixed mask costs one upload, not one per step.

import type { Backend, DeviceTensor } from '../backend';

export interface DeviceFeeds {
  /** The device tensor for input `name` holding `data` (the same array as last time: no upload). */
  get(name: string, data: Float32Array, shape: readonly number[]): Promise<DeviceTensor>;
  dispose(): void;
}

export function createDeviceFeeds(backend: Backend): DeviceFeeds {
  const held = new Map<string, { readonly data: Float32Array; readonly tensor: DeviceTensor }>();
  return {
    async get(name, data, shape) {
      const h = held.get(name);
      if (h && h.data === data) return h.tensor;
      const tensor = await backend.upload({ dtype: 'float32', shape, data });
      h?.tensor.dispose();
      held.set(name, { data, tensor });
      return tensor;
    },
    dispose() {
      for (const h of held.values()) h.tensor.dispose();
      held.clear();
    },
  };
}
