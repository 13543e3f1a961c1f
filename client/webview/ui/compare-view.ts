// The compare view: a final metric of the ticked runs against their hyper-parameters, as a
// scatter (one hyper-parameter on x) and as parallel coordinates (one axis per hyper-parameter
// that differs, the metric last), each run in its colour, the best run ringed and named.
// Canvas 2D, sized to its container on every layout. Knows the DOM; the axes come from
// client/webview/compare-data.ts.

import { formatTicks, formatValue, niceTicks } from '../axis-format';
import { bestRun, compareAxes, metricAxis, metricChoices, position, valueOf, type CompareAxis, type CompareRun } from '../compare-data';
import { isFraction } from '../metric-sections';
import { colorOf, type RunColors } from '../run-colors';

export interface CompareInput {
  readonly runs: readonly CompareRun[];
  readonly colors: RunColors;
  readonly labels: ReadonlyMap<string, string>;
  readonly metric: string | undefined;
  readonly x: string | undefined;
  /** A sweep's goal for its metric (the best trial is ringed by it); else accuracies are best high, the rest low. */
  readonly goal?: 'max' | 'min';
  /** A caption above the plots (`Sweep lr-sweep: 8 trials`). */
  readonly caption?: string;
}

export interface CompareEvents { metric(m: string): void; x(k: string): void }

export interface CompareView { readonly element: HTMLElement; layout(width: number): void }

export function renderCompare(input: CompareInput, events: CompareEvents): CompareView {
  const element = document.createElement('div');
  element.className = 'mm-compare';
  const metrics = metricChoices(input.runs);
  const axes = compareAxes(input.runs);
  if (input.runs.length < 2 || metrics.length === 0) {
    element.append(empty(input.runs.length < 2 ? 'Tick two or more finished runs in the table to compare their final metrics against their hyper-parameters.' : 'The ticked runs have no final metrics yet.'));
    return { element, layout: () => undefined };
  }
  const metric = input.metric && metrics.includes(input.metric) ? input.metric : metrics[0]!;
  // By default the hyper-parameter most of the runs have, numbers first (a sweep's swept value).
  const coverage = (a: (typeof axes)[number]) => input.runs.filter((r) => valueOf(r, a.key, false) !== undefined).length + (a.kind === 'number' ? 0.5 : 0);
  const xKey = input.x && axes.some((a) => a.key === input.x) ? input.x : [...axes].sort((a, b) => coverage(b) - coverage(a))[0]?.key;
  const bar = document.createElement('div');
  bar.className = 'mm-compare-bar';
  bar.append(select('final metric', metrics, metric, events.metric), ...(xKey ? [select('against', axes.map((a) => a.key), xKey, events.x)] : []));
  element.append(bar);
  if (axes.length === 0) {
    element.append(empty('The ticked runs share every hyper-parameter: nothing to plot the metric against.'));
    return { element, layout: () => undefined };
  }
  const best = bestRun(input.runs, metric, input.goal);
  if (input.caption) {
    const c = document.createElement('div');
    c.className = 'mm-caption';
    c.textContent = input.caption;
    element.insertBefore(c, bar);
  }
  const scatterCard = card('Scatter', `${metric} against ${xKey}`);
  const parallelCard = card('Parallel coordinates', `${axes.length} differing hyper-parameter${axes.length > 1 ? 's' : ''} → ${metric}`);
  const parallelTitle = parallelCard.element.querySelector<HTMLElement>('.mm-card-title')!;
  scatterCard.canvas.id = 'scatter';
  parallelCard.canvas.id = 'parallel';
  const grid = document.createElement('div');
  grid.className = 'mm-grid mm-compare-grid';
  grid.append(scatterCard.element, parallelCard.element);
  element.append(grid);
  if (best) {
    const note = document.createElement('div');
    note.className = 'mm-caption';
    note.textContent = `Best ${metric}: ${input.labels.get(best) ?? best} (${formatValue(input.runs.find((r) => r.id === best)?.final?.[metric], isFraction(metric))})`;
    element.append(note);
  }
  const mAxis = metricAxis(input.runs, metric);
  return {
    element,
    layout(width) {
      const columns = width >= 760 ? 2 : 1;
      const w = Math.floor((width - (columns - 1) * 12) / columns) - 2;
      grid.style.gridTemplateColumns = `repeat(${columns}, ${w}px)`;
      const h = Math.round(Math.min(420, Math.max(240, w * 0.6)));
      const xAxis = axes.find((a) => a.key === xKey)!;
      drawScatter(scatterCard.canvas, w - 18, h, input, xAxis, mAxis, metric, best);
      // As many axes as stay readable (about 90 px apart), those most runs have first, the metric last.
      const room = Math.max(2, Math.floor((w - 90) / 90));
      const kept = [...axes].sort((a, b) => coverage(b) - coverage(a)).slice(0, room - 1);
      const shownAxes = axes.filter((a) => kept.includes(a));
      drawParallel(parallelCard.canvas, w - 18, h, input, [...shownAxes, mAxis], metric, best);
      parallelTitle.textContent = `Parallel coordinates: ${shownAxes.length < axes.length ? `${shownAxes.length} of ${axes.length}` : axes.length} differing hyper-parameter${axes.length > 1 ? 's' : ''} → ${metric}`;
      parallelTitle.title = `${parallelTitle.textContent}${shownAxes.length < axes.length ? ` (not shown: ${axes.filter((a) => !kept.includes(a)).map((a) => a.key).join(', ')}; a wider panel shows more)` : ''}`;
    },
  };
}

function select(label: string, options: readonly string[], value: string, onChange: (v: string) => void): HTMLElement {
  const l = document.createElement('label');
  l.textContent = `${label} `;
  const s = document.createElement('select');
  s.className = 'mm-select';
  for (const o of options) {
    const opt = document.createElement('option');
    opt.value = opt.textContent = o;
    s.append(opt);
  }
  s.value = value;
  s.onchange = () => onChange(s.value);
  l.append(s);
  return l;
}

function card(title: string, subtitle: string): { element: HTMLElement; canvas: HTMLCanvasElement } {
  const element = document.createElement('div');
  element.className = 'mm-card';
  const head = document.createElement('div');
  head.className = 'mm-card-head';
  const t = document.createElement('span');
  t.className = 'mm-card-title';
  t.textContent = `${title}: ${subtitle}`;
  t.title = t.textContent;
  head.append(t);
  const canvas = document.createElement('canvas');
  element.append(head, canvas);
  return { element, canvas };
}

function empty(text: string): HTMLElement {
  const d = document.createElement('div');
  d.className = 'mm-empty';
  d.textContent = text;
  return d;
}

interface Ink { ctx: CanvasRenderingContext2D; fg: string; muted: string; grid: string; font: string }

function prepare(canvas: HTMLCanvasElement, w: number, h: number): Ink {
  const dpr = typeof devicePixelRatio === 'number' ? devicePixelRatio : 1;
  canvas.width = Math.max(1, Math.round(w * dpr));
  canvas.height = Math.max(1, Math.round(h * dpr));
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const css = getComputedStyle(canvas);
  const font = css.getPropertyValue('--mm-font').trim() || 'sans-serif';
  return { ctx, fg: css.getPropertyValue('--mm-fg').trim() || '#ccc', muted: css.getPropertyValue('--mm-muted').trim() || '#888', grid: css.getPropertyValue('--mm-grid').trim() || 'rgba(128,128,128,0.2)', font };
}

/** Tick text for an axis: categories, or five numbers (as % for fractions). */
function axisTicks(axis: CompareAxis, metric: string): Array<[number, string]> {
  if (axis.kind === 'text') return axis.categories.map((c, i) => [axis.categories.length === 1 ? 0.5 : i / (axis.categories.length - 1), c]);
  const values = axis.max === axis.min ? [axis.min] : axis.log ? decades(axis.min, axis.max) : niceTicks(axis.min, axis.max);
  const text = axis.log ? values.map((v) => formatValue(v)) : formatTicks(values, axis.key === metric && isFraction(metric));
  return values.map((v, i) => [position(axis, { kind: 'number', value: v }) ?? 0.5, text[i]!]);
}

/** The powers of ten in [min, max], or the ends when the range holds fewer than two. */
function decades(min: number, max: number): number[] {
  const out: number[] = [];
  for (let e = Math.ceil(Math.log10(min) - 1e-9); e <= Math.floor(Math.log10(max) + 1e-9); e++) out.push(10 ** e);
  return out.length >= 2 ? out : [min, max];
}

function drawScatter(canvas: HTMLCanvasElement, w: number, h: number, input: CompareInput, xAxis: CompareAxis, yAxis: CompareAxis, metric: string, best: string | undefined): void {
  const ink = prepare(canvas, w, h);
  const { ctx } = ink;
  const pad = { l: 58, r: 16, t: 14, b: 42 };
  const pw = w - pad.l - pad.r;
  const ph = h - pad.t - pad.b;
  const px = (p: number) => pad.l + 0.06 * pw + p * 0.88 * pw;
  const py = (p: number) => pad.t + ph - 0.06 * ph - p * 0.88 * ph;
  ctx.font = `11px ${ink.font}`;
  ctx.strokeStyle = ink.grid;
  ctx.fillStyle = ink.muted;
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const [p, t] of axisTicks(yAxis, metric)) {
    ctx.beginPath(); ctx.moveTo(pad.l, py(p)); ctx.lineTo(pad.l + pw, py(p)); ctx.stroke();
    ctx.fillText(t, pad.l - 6, py(p));
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const [p, t] of axisTicks(xAxis, metric)) {
    ctx.beginPath(); ctx.moveTo(px(p), pad.t); ctx.lineTo(px(p), pad.t + ph); ctx.stroke();
    ctx.fillText(clip(ctx, t, pw / Math.max(2, xAxis.categories.length || 5)), px(p), pad.t + ph + 6);
  }
  ctx.fillText(xAxis.key, pad.l + pw / 2, h - 16);
  ctx.save();
  ctx.translate(12, pad.t + ph / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(metric, 0, -6);
  ctx.restore();
  for (const r of input.runs) {
    const xp = position(xAxis, valueOf(r, xAxis.key, false));
    const yp = position(yAxis, valueOf(r, metric, true));
    if (xp === undefined || yp === undefined) continue;
    const color = colorOf(input.colors, r.id);
    ctx.beginPath();
    ctx.arc(px(xp), py(yp), r.id === best ? 6 : 5, 0, 2 * Math.PI);
    ctx.fillStyle = color;
    ctx.fill();
    if (r.id === best) {
      ctx.beginPath();
      ctx.arc(px(xp), py(yp), 10, 0, 2 * Math.PI);
      ctx.strokeStyle = ink.fg;
      ctx.lineWidth = 1.5;
      ctx.stroke();
      ctx.fillStyle = ink.fg;
      ctx.textAlign = xp > 0.7 ? 'right' : 'left';
      ctx.textBaseline = 'bottom';
      ctx.fillText(`best: ${input.labels.get(r.id) ?? r.id}`, px(xp) + (xp > 0.7 ? -12 : 12), py(yp) - 8);
      ctx.lineWidth = 1;
    }
  }
}

function drawParallel(canvas: HTMLCanvasElement, w: number, h: number, input: CompareInput, axes: readonly CompareAxis[], metric: string, best: string | undefined): void {
  const ink = prepare(canvas, w, h);
  const { ctx } = ink;
  const pad = { l: 24, r: 48, t: 34, b: 14 };
  const pw = w - pad.l - pad.r;
  const ph = h - pad.t - pad.b;
  const ax = (i: number) => pad.l + (axes.length === 1 ? pw / 2 : (i / (axes.length - 1)) * pw);
  const py = (p: number) => pad.t + ph - p * ph;
  ctx.font = `11px ${ink.font}`;
  // Lines first (the best last, on top), then the axes over them.
  const order = [...input.runs].sort((a, b) => (a.id === best ? 1 : 0) - (b.id === best ? 1 : 0));
  for (const r of order) {
    ctx.beginPath();
    let started = false;
    axes.forEach((a, i) => {
      // A run without this hyper-parameter passes the axis by: its line joins the axes it has.
      const p = position(a, valueOf(r, a.key, a.key === metric && i === axes.length - 1));
      if (p === undefined) return;
      if (!started) ctx.moveTo(ax(i), py(p));
      else ctx.lineTo(ax(i), py(p));
      started = true;
    });
    ctx.strokeStyle = colorOf(input.colors, r.id);
    ctx.lineWidth = r.id === best ? 3 : 1.5;
    ctx.globalAlpha = best && r.id !== best ? 0.7 : 1;
    ctx.stroke();
    ctx.globalAlpha = 1;
  }
  axes.forEach((a, i) => {
    ctx.strokeStyle = ink.muted;
    ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(ax(i), pad.t); ctx.lineTo(ax(i), pad.t + ph); ctx.stroke();
    ctx.fillStyle = ink.fg;
    ctx.textAlign = i === 0 ? 'left' : i === axes.length - 1 ? 'right' : 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillText(clip(ctx, a.key, pw / Math.max(1, axes.length - 1)), ax(i) + (i === 0 ? -pad.l + 4 : i === axes.length - 1 ? pad.r - 4 : 0), pad.t - 8);
    ctx.fillStyle = ink.muted;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    // Ticks that stay apart: the ends of a numeric axis (all of the metric's), at most four categories.
    const ticks = axisTicks(a, metric);
    const shown = i === axes.length - 1 ? ticks : a.kind === 'number' ? [ticks[0], ticks[ticks.length - 1]].filter((t): t is [number, string] => t !== undefined) : ticks.length <= 4 ? ticks : [];
    const gap = axes.length > 1 ? pw / (axes.length - 1) - 8 : 80;
    for (const [p, t] of shown) ctx.fillText(clip(ctx, t, Math.min(80, gap)), ax(i) + 4, py(p));
  });
}

function clip(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let t = text;
  while (t.length > 1 && ctx.measureText(`${t}…`).width > width) t = t.slice(0, -1);
  return `${t}…`;
}
