// The tiny MLP of the PyTorch reference generators (test-fixtures/reference/tiny_mlp.py):
// x → fc1 → tanh → fc2, weights [out, in] as torch.nn.Linear, and the reference JSON's helpers.

import { add, gemm, matmul, tanh, transpose, type GraphBuilder, type Value } from '../compiler';
import type { ModelGraph, ParamInfo } from '../compiler/model';

export interface TinyNet {
  readonly inputs: number;
  readonly hidden: number;
  readonly classes: number;
}

/** With `gemm`, each layer is one Gemm(x, W, transB) + b, as the built-in dense layers are (what layer-input recording finds). */
export function tinyMlp(net: TinyNet, options: { readonly gemm?: boolean } = {}): ModelGraph {
  const info = (name: string, role: ParamInfo['role'], shape: number[]): ParamInfo => ({ name, layer: name.split('.')[0] ?? name, role, shape, compressible: role === 'weight', isNorm: false, init: { kind: 'zeros' } });
  const params = [info('fc1.weight', 'weight', [net.hidden, net.inputs]), info('fc1.bias', 'bias', [net.hidden]), info('fc2.weight', 'weight', [net.classes, net.hidden]), info('fc2.bias', 'bias', [net.classes])];
  return {
    params,
    buffers: [],
    dropouts: [],
    inputShape: [net.inputs],
    outputWidth: net.classes,
    forward: (_g: GraphBuilder, x: Value, ps: readonly Value[]) => {
      const [w1, b1, w2, b2] = ps;
      if (!w1 || !b1 || !w2 || !b2) throw new Error('tinyMlp: four parameters expected');
      if (options.gemm) return { output: gemm(tanh(gemm(x, w1, { transB: true }, b1)), w2, { transB: true }, b2), buffers: [] };
      const h = tanh(add(matmul(x, transpose(w1)), b1));
      return { output: add(matmul(h, transpose(w2)), b2), buffers: [] };
    },
  };
}

/** One-hot targets of class labels. */
export function oneHot(labels: readonly number[], classes: number): Float32Array {
  const y = new Float32Array(labels.length * classes);
  labels.forEach((c, k) => (y[k * classes + c] = 1));
  return y;
}

/** The worst relative error |ours − theirs| / max(|theirs|, rms(theirs)) seen by `compare`, and where. */
export function worstError(): { error: number; where: string; compare(ours: ArrayLike<number>, theirs: readonly number[], where: string): void } {
  const w = {
    error: 0,
    where: 'nowhere',
    compare(ours: ArrayLike<number>, theirs: readonly number[], where: string) {
      const rms = Math.sqrt(theirs.reduce((s, v) => s + v * v, 0) / Math.max(1, theirs.length));
      theirs.forEach((v, i) => {
        const e = Math.abs((ours[i] ?? NaN) - v) / Math.max(Math.abs(v), rms);
        if (!(e <= w.error)) Object.assign(w, { error: e, where: `${where}[${i}]: ${ours[i]} vs ${v}` });
      });
    },
  };
  return w;
}
