// The report page's steps come back as the results panel's series: the CLI's columns
// (runtime/cli/report-data.ts) through reportEvents into client/webview/series.ts's seriesOf,
// as the page does it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawnSteps, undelta, MAX_DRAW_BUCKETS } from '../../../runtime/cli/report-data';
import { syntheticRun as run } from '../../../runtime/cli/test/report-fixture';
import { seriesOf } from '../../webview/series';
import { reportEvents, timeline } from '../report-events';

test('a long run’s steps are decimated per metric, and the spike and the last step survive', () => {
  const events = run(200_000, { spikeAt: 123_457 });
  const drawn = drawnSteps(events, 500);
  assert.equal(drawn.recorded, 200_000);
  const loss = drawn.metrics['loss']!;
  assert.ok(loss.s.length <= 2 * 500 + 2, `${loss.s.length} loss points`);
  const steps = undelta(loss.s);
  assert.equal(steps[steps.length - 1], 200_000);
  assert.equal(loss.v[steps.indexOf(123_457)], 9);
  // The page's events hold the kept steps, and the panel's series builder sees the same metrics.
  const back = seriesOf(reportEvents({ events: events.filter((e) => e.type !== 'step'), steps: drawn }));
  const full = seriesOf(events);
  assert.deepEqual([...back.series.keys()].sort(), [...full.series.keys()].sort());
  assert.equal(back.series.get('loss')!.x.length, loss.s.length);
  assert.equal(back.series.get('epoch/loss')!.x.length, 2_000, 'every epoch point is kept');
  assert.equal(back.phases.length, 1);
  assert.equal(back.stepsPerEpoch, 100);
  assert.equal(back.status, 'finished');
  // Wall time is interpolated from the samples: within one step's time of the truth here.
  const lossSeries = back.series.get('loss')!;
  for (let i = 0; i < lossSeries.x.length; i += 97) assert.ok(Math.abs(lossSeries.t[i]! - (1000 + 2 * lossSeries.x[i]!)) <= 2, `time at step ${lossSeries.x[i]}`);
});

test('a short run comes back exactly (to six significant digits), a non-finite value as a gap', () => {
  const events = run(300, { nanAt: 17 });
  const drawn = drawnSteps(events, MAX_DRAW_BUCKETS);
  const back = seriesOf(reportEvents({ events: events.filter((e) => e.type !== 'step'), steps: drawn }));
  const full = seriesOf(events);
  for (const [name, s] of full.series) {
    const b = back.series.get(name)!;
    assert.deepEqual(b.x, s.x, name);
    s.y.forEach((y, i) => {
      if (Number.isNaN(y)) assert.ok(Number.isNaN(b.y[i]!), `${name} NaN at ${i}`);
      else assert.ok(Math.abs(b.y[i]! - y) <= Math.abs(y) * 1e-5, `${name}[${i}] ${b.y[i]} vs ${y}`);
    });
  }
  assert.equal(JSON.stringify(drawn).includes('NaN'), false);
});

test('timeline interpolates between its samples and clamps at both ends', () => {
  const at = timeline({ s: [10, 10], t: [1000, 500] });
  assert.equal(at(0), 1000);
  assert.equal(at(15), 1250);
  assert.equal(at(99), 1500);
});
