// `--report out.html`: a self-contained page (no scripts, no remote content) with the run's
// curves as inline SVG and the final metrics, drawn only from the run's events. A run may have
// any number of steps: ranges are found with loops (never `Math.min(...xs)`, which overflows the
// stack past about 100,000 arguments), and each curve is downsampled to the pixels it is drawn
// on, keeping every bucket's lowest and highest point so that spikes stay visible. The run folder's
// metrics.jsonl keeps every step.

import type { RunEvent } from '../engine';

interface Series {
  readonly name: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
}

/** Marks a page as Minima's report, so that a later run may replace it (and only it). */
export const GENERATOR_TAG = '<meta name="generator" content="minima">';

/** True when the first bytes of a file are a report that Minima wrote (the tag sits in the first line or two). */
export function isMinimaReport(head: Uint8Array): boolean {
  return new TextDecoder().decode(head).includes(GENERATOR_TAG);
}

export function renderReport(title: string, events: readonly RunEvent[]): string {
  const steps = events.filter((e): e is Extract<RunEvent, { type: 'step' }> => e.type === 'step');
  const epochs = events.filter((e): e is Extract<RunEvent, { type: 'epoch' }> => e.type === 'epoch');
  const started = events.find((e): e is Extract<RunEvent, { type: 'started' }> => e.type === 'started');
  const end = events.find((e) => e.type === 'finished' || e.type === 'failed');
  const series = (name: string, color: string, from: readonly { step: number; metrics: Readonly<Record<string, number>> }[], key: string): Series => ({
    name,
    color,
    points: from.flatMap((e) => (e.metrics[key] === undefined ? [] : [[e.step, e.metrics[key]] as const])),
  });
  const charts = [
    chart('Loss', [series('train (step)', '#9ecae1', steps, 'loss'), series('train (epoch)', '#1f77b4', epochs, 'loss'), series('validation', '#d62728', epochs, 'val_loss')]),
    chart('Accuracy', [series('train (epoch)', '#1f77b4', epochs, 'accuracy'), series('validation', '#d62728', epochs, 'val_accuracy')]),
    chart('Learning rate', [series('lr', '#2ca02c', steps, 'lr')]),
    chart('Gradient norm', [series('grad_norm', '#9467bd', steps, 'grad_norm')]),
  ].filter((c) => c !== '');
  const final = end?.type === 'finished' ? end.metrics : epochs[epochs.length - 1]?.metrics ?? {};
  const rows = Object.entries(final).map(([k, v]) => `<tr><td>${esc(k)}</td><td>${v.toPrecision(5)}</td></tr>`).join('');
  const status = end === undefined ? 'incomplete' : end.type === 'finished' ? `finished in ${end.seconds.toFixed(1)} s, ${end.steps} steps` : `${end.reason}: ${esc(end.message)}`;
  const run = started?.run;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${GENERATOR_TAG}<title>${esc(title)} — Minima run</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}h1{font-size:1.4em}table{border-collapse:collapse}td{padding:2px 12px;border-bottom:1px solid #eee}.charts{display:flex;flex-wrap:wrap;gap:24px}figure{margin:0}figcaption{font-weight:600;margin-bottom:4px}.legend span{margin-right:12px}</style>
</head><body>
<h1>${esc(title)}</h1>
<p>${esc(status)}${run ? ` — backend ${esc(run.backend)}, ${run.threads} thread(s), ${run.epochs} epochs × ${run.stepsPerEpoch} steps, seed ${run.seed}` : ''}</p>
<div class="charts">${charts.join('\n')}</div>
<h2>Final metrics</h2><table>${rows}</table>
</body></html>
`;
}

const W = 480;
const H = 260;
const PAD = { l: 56, r: 12, t: 10, b: 28 };

function chart(title: string, series: readonly Series[]): string {
  const drawn = series.filter((s) => s.points.length > 0);
  if (drawn.length === 0) return '';
  const xr = range(drawn, 0);
  const yr = range(drawn, 1);
  const [x0, x1] = [xr.lo, Math.max(xr.hi, xr.lo + 1)];
  const [y0, y1] = padRange(yr.lo, yr.hi);
  const sx = (x: number) => PAD.l + ((x - x0) / (x1 - x0)) * (W - PAD.l - PAD.r);
  const sy = (y: number) => H - PAD.b - ((y - y0) / (y1 - y0)) * (H - PAD.t - PAD.b);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => y0 + f * (y1 - y0));
  const grid = ticks.map((y) => `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${sy(y).toFixed(1)}" y2="${sy(y).toFixed(1)}" stroke="#eee"/><text x="${PAD.l - 6}" y="${(sy(y) + 4).toFixed(1)}" text-anchor="end" font-size="11">${y.toPrecision(3)}</text>`).join('');
  const lines = drawn
    .map((s) => `<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${downsample(s.points, W - PAD.l - PAD.r).map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}"/>`)
    .join('');
  const legend = drawn.map((s) => `<span style="color:${s.color}">■ ${esc(s.name)}</span>`).join('');
  return `<figure><figcaption>${esc(title)}</figcaption><svg width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">${grid}<text x="${W - PAD.r}" y="${H - 6}" text-anchor="end" font-size="11">step ${x1}</text>${lines}</svg><div class="legend">${legend}</div></figure>`;
}

/**
 * At most about 2 × `buckets` points of `points` (in order): the lowest and the highest finite
 * point of each of `buckets` runs of consecutive points, and the first and the last point. A
 * curve drawn `buckets` pixels wide looks the same, spikes included.
 */
export function downsample(points: readonly (readonly [number, number])[], buckets: number): (readonly [number, number])[] {
  const finite = points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (finite.length <= 2 * buckets) return finite;
  const size = finite.length / buckets;
  const out: (readonly [number, number])[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(finite.length, Math.floor((b + 1) * size));
    let lo = from;
    let hi = from;
    for (let i = from; i < to; i++) {
      if (finite[i]![1] < finite[lo]![1]) lo = i;
      if (finite[i]![1] > finite[hi]![1]) hi = i;
    }
    const keep = b === 0 ? [from, lo, hi] : b === buckets - 1 ? [lo, hi, to - 1] : [lo, hi];
    for (const i of [...new Set(keep)].sort((m, n) => m - n)) out.push(finite[i]!);
  }
  return out;
}

/** The finite extent of coordinate `axis` over every point of `series`; [Infinity, -Infinity] when none. */
function range(series: readonly Series[], axis: 0 | 1): { lo: number; hi: number } {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of series) {
    for (const p of s.points) {
      const v = p[axis];
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return { lo, hi };
}

function padRange(lo: number, hi: number): [number, number] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (lo === hi) return [lo - 0.5, hi + 0.5];
  const m = (hi - lo) * 0.05;
  return [lo - m, hi + m];
}

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}
