import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSaf } from '../saf';
import { SAF_INPUTS } from '../../compiler/optim';

// SAF's logits buffer (catalog A05): the reference is exactly what was recorded `window` epochs earlier.

const use = (window: number, start: number) => ({ kind: 'technique', name: 'saf', entryKind: 'wrapper', args: { weight: 0.3, temperature: 5, window, start: { kind: 'duration', value: start, unit: 'ep' } } }) as const;

for (const [window, start] of [[1, 0], [2, 3], [3, 1]] as const) {
  test(`saf buffer window ${window}, start ${start}: references are the logits of epoch e − window, gate from max(start + 1, window)`, () => {
    const saf = createSaf(use(window, start) as never, 5, 3, 2);
    assert.equal(saf.firstEpoch, Math.max(start + 1, window));
    const logits = (i: number, e: number) => Float32Array.from([i * 100 + e, -i, e * 0.5]);
    for (let e = 0; e < 8; e++) {
      // Two batches in a fixed odd order.
      for (const idx of [Uint32Array.of(3, 0, 4), Uint32Array.of(2, 1)]) {
        const f = saf.feeds(idx, e);
        const on = e >= saf.firstEpoch;
        assert.equal(f[SAF_INPUTS.gate]?.data[0], on ? 1 : 0);
        assert.deepEqual(f[SAF_INPUTS.reference]?.shape, [idx.length, 3]);
        idx.forEach((i, r) => assert.deepEqual([...(f[SAF_INPUTS.reference]?.data.slice(r * 3, r * 3 + 3) ?? [])], on ? [...logits(i, e - window)] : [0, 0, 0]));
        const batch = new Float32Array(idx.length * 3);
        idx.forEach((i, r) => batch.set(logits(i, e), r * 3));
        saf.record(idx, e, batch);
      }
      assert.deepEqual([...saf.stored(4, e)], [...logits(4, e)]);
    }
  });
}
