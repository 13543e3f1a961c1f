// The HTML report's data and page (no browser: client/test-e2e's report mode opens the pages in
// Chromium; client/report/test checks that the drawn steps come back as the panel's series): the
// drawing decimation keeps spikes and ends, the CSV fits its budget and says when it was decimated, the page's CSP allows exactly
// its inlined script and style, and the data block cannot end the page's script early.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { RunSummary } from '../../engine';
import { isMinimaReport } from '../report';
import { drawBuckets, minMaxIndices, reportCsv, reportRun, MAX_DRAW_BUCKETS, MIN_DRAW_BUCKETS } from '../report-data';
import { jsonForHtml, readReportBundle, renderReportPage, REPORT_DATA_ID } from '../report-page';
import { syntheticRun as run } from './report-fixture';

const SUMMARY: RunSummary = { id: 'r1', recipe: 'moons', status: 'finished', pid: 1, started: '2026-01-01T00:00:00.000Z', seconds: 12, steps: 10, hyper: { optimizer: 'sgd(lr: 0.1)' } };

test('minMaxIndices keeps every bucket’s lowest and highest value, both ends and non-finite values, in order', () => {
  const ys = Array.from({ length: 10_000 }, (_, i) => (i === 5_000 ? 100 : i === 7_000 ? -100 : i === 8_000 ? Number.NaN : Math.sin(i)));
  const kept = minMaxIndices(ys, 50);
  assert.ok(kept.length <= 3 * 50 + 2, `${kept.length} points`);
  assert.equal(kept[0], 0);
  assert.equal(kept[kept.length - 1], 9_999);
  for (const i of [5_000, 7_000, 8_000]) assert.ok(kept.includes(i), `index ${i} kept`);
  for (let i = 1; i < kept.length; i++) assert.ok(kept[i]! > kept[i - 1]!, 'ascending, no repeats');
  // Short series are drawn as they are.
  assert.deepEqual(minMaxIndices(ys.slice(0, 80), 50), Array.from({ length: 80 }, (_, i) => i));
});

test('the drawing budget is shared by every step series of a report, within bounds', () => {
  assert.equal(drawBuckets(1), MAX_DRAW_BUCKETS);
  assert.equal(drawBuckets(60), 666); // 20 runs × 3 step metrics
  assert.equal(drawBuckets(10_000), MIN_DRAW_BUCKETS);
});

test('the CSV holds every step when it fits, and every k-th step within its budget when not', () => {
  const small = reportCsv(run(300));
  assert.equal(small.decimated, undefined);
  const text = gunzipSync(Buffer.from(small.gzipBase64, 'base64')).toString('utf8');
  const lines = text.trim().split('\n');
  assert.equal(lines[0], 'kind,epoch,step,time_s,loss,lr,val_loss,val_accuracy');
  assert.equal(lines.length - 1, 303);
  assert.equal(small.rows, 303);
  assert.match(lines[1]!, /^step,0,1,0\.002,/);

  const budget = 16 * 1024;
  const big = reportCsv(run(50_000), budget);
  const gz = Buffer.from(big.gzipBase64, 'base64');
  assert.ok(gz.length <= budget, `${gz.length} bytes`);
  assert.ok(big.decimated && big.decimated.every > 1 && big.decimated.totalRows === 50_500, JSON.stringify(big.decimated));
  const rows = gunzipSync(gz).toString('utf8').trim().split('\n').slice(1);
  assert.equal(rows.length, big.rows);
  assert.equal(rows.filter((r) => r.startsWith('epoch,')).length, 500, 'every epoch row is kept');
  assert.ok(rows.some((r) => r.startsWith('step,499,50000,')), 'the last step is kept');
});

test('the page inlines its bundle under a CSP that allows exactly it, and its data cannot end the script', () => {
  const recipeText = 'recipe "x" {}\n# </script><script>alert(1)</script> \u2028';
  const payload = { version: 1 as const, title: 'moons <b>', generated: '2026-01-01T00:00:00.000Z', minima: '0.1.0', runs: [reportRun(SUMMARY, 'runs/r1', run(300), 1000, 64 * 1024, recipeText)] };
  const bundle = { script: 'console.log("</script>")', style: 'body{color:red}' };
  const html = renderReportPage(payload, bundle);
  assert.ok(isMinimaReport(Buffer.from(html.slice(0, 200))), 'the generator tag is in the first lines');
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!.replace(/&#39;|&apos;/g, "'");
  assert.match(csp, /default-src 'none'/);
  assert.doesNotMatch(csp, /unsafe/);
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  assert.equal(scripts.length, 1);
  const sha = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
  assert.ok(csp.includes(`script-src ${sha(scripts[0]!)}`), csp);
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
  assert.ok(csp.includes(`style-src ${sha(style)}`), csp);
  assert.match(html, /<title>moons &lt;b&gt; — Minima report<\/title>/);
  const block = new RegExp(`<script type="application/json" id="${REPORT_DATA_ID}">([^<]*)</script>`).exec(html);
  assert.ok(block, 'the data block holds no "<"');
  assert.equal((JSON.parse(block[1]!) as typeof payload).runs[0]!.recipeText, recipeText);
  assert.equal(jsonForHtml('\u2029'), '"\\u2029"');
});

test('a missing bundle is a message that says how to build it', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-report-bundle-'));
  const r = readReportBundle(root);
  assert.equal(typeof r, 'string');
  assert.match(r as string, /out[/\\]report[/\\]report\.js .*is missing.*run `npm run build`/);
});
