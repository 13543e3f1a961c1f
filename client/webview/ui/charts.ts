// One chart card: a uPlot chart of one metric family for every ticked run (one colour per run),
// the raw line faint under its debiased EMA where the series is smoothed, per-epoch points
// dashed with markers, phase bands per run, axis titles and units, and a readout of every run
// at the cursor. Redraws keep the chart (setData) while its lines stay the same.
// Knows the DOM and uPlot; what to draw comes from the pure modules in client/webview/.

import uPlot from 'uplot';
import { formatSeconds, formatTicks, formatValue, logTicks } from '../axis-format';
import { alignDownsampled } from '../downsample';
import { axisTitle, isFraction, isSmoothed, lineRole } from '../metric-sections';
import { phaseBands } from '../phase-bands';
import { withAlpha } from '../run-colors';
import { stepToAxis, xValues, type RunSeries, type Series, type XAxis } from '../series';
import { smoothAppended, type Smoothed } from '../smoothing';

export interface CardLine {
  readonly runId: string;
  readonly runLabel: string;
  readonly color: string;
  readonly current: boolean;
  readonly run: RunSeries;
  readonly series: Series;
}

export interface ChartSettings {
  readonly xAxis: XAxis;
  readonly smoothing: number;
  readonly log: boolean;
}

export interface ChartCard {
  readonly element: HTMLElement;
  readonly plot: uPlot | undefined;
  update(lines: readonly CardLine[], settings: ChartSettings): void;
  resize(width: number, height: number): void;
  destroy(): void;
}

const X_TITLES: Readonly<Record<XAxis, string>> = { step: 'step', epoch: 'epoch', time: 'wall time' };
/** Dash patterns that tell a card's lines of one run apart (layers, validation vs training). */
const DASHES: readonly number[][] = [[], [6, 3], [2, 2], [8, 3, 2, 3]];

export function createChartCard(card: string, title: string, onEnlarge: () => void, enlarged: boolean, smoothCache: WeakMap<Series, Smoothed>): ChartCard {
  const element = document.createElement('div');
  element.className = 'mm-card';
  element.dataset['card'] = card;
  const head = document.createElement('div');
  head.className = 'mm-card-head';
  const h = document.createElement('span');
  h.className = 'mm-card-title';
  h.textContent = title;
  h.title = title;
  const grow = document.createElement('button');
  grow.className = 'mm-icon';
  grow.textContent = enlarged ? '⤡' : '⤢';
  grow.title = enlarged ? 'Back to the grid' : 'Enlarge this chart';
  grow.setAttribute('aria-label', grow.title);
  grow.onclick = onEnlarge;
  const note = document.createElement('span');
  note.className = 'mm-card-note';
  note.textContent = 'linear: values ≤ 0';
  note.title = 'A log scale needs positive values; this chart has a zero or a negative one.';
  note.hidden = true;
  head.append(h, note, grow);
  const body = document.createElement('div');
  body.className = 'mm-plot';
  const readout = document.createElement('div');
  readout.className = 'mm-readout';
  readout.hidden = true;
  body.append(readout);
  element.append(head, body);

  // primary: the drawn series (uPlot's index) the readout lists, with their label and colour.
  const state: { plot?: uPlot; shape: string; width: number; height: number; lines: readonly CardLine[]; settings?: ChartSettings; primary: { index: number; run: string; label: string; color: string; last: number }[] } = { shape: '', width: 320, height: 200, lines: [], primary: [] };

  const smoothed = (s: Series, weight: number): number[] => {
    const next = smoothAppended(smoothCache.get(s), s.y, weight);
    smoothCache.set(s, next);
    return next.values;
  };

  function update(lines: readonly CardLine[], settings: ChartSettings): void {
    state.lines = lines;
    state.settings = settings;
    // Per line: its raw values, and (smoothed series) the EMA drawn over them.
    const drawn: { line: CardLine; y: readonly number[]; raw: boolean }[] = [];
    for (const l of lines) {
      const smooth = settings.smoothing > 0 && isSmoothed(l.series.name, l.series.source);
      if (smooth) drawn.push({ line: l, y: l.series.y, raw: true });
      drawn.push({ line: l, y: smooth ? smoothed(l.series, settings.smoothing) : l.series.y, raw: false });
    }
    // A log axis needs positive values: a card with a zero or a negative value (lr at the end of
    // its decay, an accuracy of 0) stays linear, and its title says why.
    const log = settings.log && drawn.every((d) => d.y.every((v) => !Number.isFinite(v) || v > 0));
    note.hidden = !settings.log || log;
    const aligned = alignDownsampled(drawn.map((d) => ({ x: xValues(d.line.run, d.line.series, settings.xAxis), y: d.y })));
    const data = [aligned.x, ...aligned.ys] as uPlot.AlignedData;
    const shape = JSON.stringify([settings.xAxis, log, drawn.map((d) => [d.line.runId, d.line.series.name, d.raw, d.line.color, d.line.current])]);
    state.primary = drawn.flatMap((d, i) => {
      if (d.raw) return [];
      const role = lineRole(d.line.series.name);
      // The line's last x: past it the readout says '—' rather than repeating its last value.
      const xs = xValues(d.line.run, d.line.series, settings.xAxis);
      return [{ index: i + 1, run: d.line.runLabel, label: `${d.line.runLabel}${role ? ` · ${role}` : ''}`, color: d.line.color, last: xs[xs.length - 1] ?? -Infinity }];
    });
    if (state.plot && shape === state.shape) {
      state.plot.setData(data);
      return;
    }
    state.plot?.destroy();
    state.shape = shape;
    const roles = [...new Set(lines.map((l) => lineRole(l.series.name)))];
    const percent = isFraction(card);
    const css = getComputedStyle(element);
    const fg = css.getPropertyValue('--mm-muted').trim() || '#888';
    const gridStroke = css.getPropertyValue('--mm-grid').trim() || 'rgba(128,128,128,0.15)';
    const font = `11px ${css.getPropertyValue('--mm-font').trim() || 'sans-serif'}`;
    const axis = (label: string, values: uPlot.Axis['values']): uPlot.Axis => ({ label, stroke: fg, font, labelFont: font, labelSize: 16, grid: { stroke: gridStroke, width: 1 }, ticks: { stroke: gridStroke, width: 1, size: 4 }, values });
    const opts: uPlot.Options = {
      width: state.width,
      height: state.height,
      legend: { show: false },
      cursor: { sync: { key: 'minima' }, points: { size: 5 }, drag: { x: true, y: false } },
      scales: { x: { time: false }, y: log ? { distr: 3 } : {} },
      axes: [
        { ...axis(X_TITLES[settings.xAxis], (_u, splits) => (settings.xAxis === 'time' ? splits.map(formatSeconds) : formatTicks(splits))), size: 24 },
        { ...axis(axisTitle(card), (_u, splits) => (log ? logTicks(splits, percent) : formatTicks(splits, percent))), size: 52 },
      ],
      series: [
        { label: X_TITLES[settings.xAxis] },
        ...drawn.map((d): uPlot.Series => {
          const role = lineRole(d.line.series.name);
          const dash = DASHES[Math.max(0, roles.indexOf(role)) % DASHES.length]!;
          const epoch = d.line.series.source === 'epoch';
          return {
            label: `${d.line.runLabel}${role ? ` · ${role}` : ''}${d.raw ? ' (raw)' : ''}`,
            stroke: d.raw ? withAlpha(d.line.color, 0.22) : d.line.color,
            width: d.raw ? 1 : d.line.current ? 2.25 : 1.6,
            dash: epoch && dash.length === 0 ? [5, 3] : dash,
            spanGaps: true,
            points: { show: epoch && d.line.series.x.length <= 60, size: 5, stroke: d.line.color, fill: d.line.color },
          };
        }),
      ],
      hooks: {
        draw: [(u: uPlot) => drawBands(u, state.lines, state.settings?.xAxis ?? 'step')],
        setCursor: [(u: uPlot) => showReadout(u)],
      },
    };
    state.plot = new uPlot(opts, data, body);
    body.append(readout);
  }

  /** The value of every run at the cursor (the latest point at or before it, for sparse lines). */
  function showReadout(u: uPlot): void {
    const idx = u.cursor.idx;
    const left = u.cursor.left ?? -1;
    if (idx === null || idx === undefined || left < 0) return void (readout.hidden = true);
    // One row per line with a value here; a run with none (it ended before the cursor) gets one '—' row.
    const rows: [string, string, string][] = [];
    const runsWithout = new Map<string, string>();
    const x0 = u.data[0][idx]!;
    const slot = Math.abs((u.data[0][1] ?? x0) - (u.data[0][0] ?? x0));
    for (const p of state.primary) {
      const col = u.data[p.index] as (number | null)[] | undefined;
      if (!col) continue;
      let k = idx;
      while (k >= 0 && (col[k] === null || col[k] === undefined)) k--;
      if (k >= 0 && x0 <= p.last + slot) rows.push([p.label, p.color, formatValue(col[k], isFraction(card))]);
      else if (!runsWithout.has(p.run)) runsWithout.set(p.run, p.color);
    }
    for (const [run, color] of runsWithout) if (!rows.some((r) => r[0] === run || r[0].startsWith(`${run} · `))) rows.push([run, color, '—']);
    const x = u.data[0][idx]!;
    readout.replaceChildren();
    const head = document.createElement('div');
    head.className = 'mm-readout-x';
    const axis = state.settings?.xAxis ?? 'step';
    head.textContent = `${X_TITLES[axis]} ${axis === 'time' ? formatSeconds(x) : axis === 'epoch' ? x.toFixed(2) : Math.round(x).toLocaleString('en-US')}`;
    readout.append(head);
    for (const [label, color, value] of rows) {
      const row = document.createElement('div');
      row.className = 'mm-readout-row';
      const sw = document.createElement('span');
      sw.className = 'mm-swatch';
      sw.style.background = color;
      const name = document.createElement('span');
      name.className = 'mm-readout-label';
      name.textContent = label;
      const v = document.createElement('span');
      v.className = 'mm-readout-value';
      v.textContent = value;
      row.append(sw, name, v);
      readout.append(row);
    }
    readout.hidden = false;
    // Beside the cursor, on the side with room.
    const over = u.over.getBoundingClientRect();
    const bodyRect = body.getBoundingClientRect();
    const cx = over.left - bodyRect.left + left;
    const w = readout.offsetWidth;
    readout.style.left = `${cx + 12 + w > bodyRect.width ? Math.max(0, cx - 12 - w) : cx + 12}px`;
    readout.style.top = `${over.top - bodyRect.top + 4}px`;
  }

  return {
    element,
    get plot() { return state.plot; },
    update,
    resize(width, height) {
      state.width = Math.max(120, Math.floor(width));
      state.height = Math.max(120, Math.floor(height));
      state.plot?.setSize({ width: state.width, height: state.height });
    },
    destroy() {
      state.plot?.destroy();
      element.remove();
    },
  };
}

const MAX_BAND_LABELS = 4;

/**
 * Phase bands per run, in the run's colour, their labels staggered so runs of different lengths
 * do not smear together. Bands that fall on the same pixels with the same label (20 trials of one
 * sweep pruning at the same epochs) are drawn and labelled once; at most MAX_BAND_LABELS label rows.
 */
function drawBands(u: uPlot, lines: readonly CardLine[], axis: XAxis): void {
  const runs = [...new Map(lines.map((l) => [l.runId, l])).values()];
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  const dpr = typeof devicePixelRatio === 'number' ? devicePixelRatio : 1;
  const groups = new Map<string, { label: string; x0: number; x1: number; colors: string[] }>();
  for (const l of runs) {
    for (const band of phaseBands(l.run.phases, l.run.stepsPerEpoch, l.run.lastStep)) {
      const a = stepToAxis(l.run, band.from, axis);
      const b = stepToAxis(l.run, band.to, axis);
      if (a === undefined || b === undefined) continue;
      const x0 = u.valToPos(a, 'x', true);
      const x1 = u.valToPos(b, 'x', true);
      const key = `${band.label}|${Math.round(x0)}|${Math.round(x1)}`;
      const g = groups.get(key) ?? { label: band.label, x0, x1, colors: [] };
      g.colors.push(l.color);
      groups.set(key, g);
    }
  }
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  ctx.font = `${Math.round(10 * dpr)}px sans-serif`;
  [...groups.values()].forEach((g, row) => {
    // One run: its colour; several: the first run's, the label saying how many share it.
    const color = g.colors[0] ?? '#888';
    const { x0, x1 } = g;
    ctx.fillStyle = withAlpha(color, 0.08);
    if (x1 - x0 >= 1) ctx.fillRect(x0, top, x1 - x0, height);
    ctx.strokeStyle = withAlpha(color, 0.6);
    ctx.setLineDash([3 * dpr, 3 * dpr]);
    ctx.lineWidth = dpr;
    for (const x of x1 - x0 >= 1 ? [x0, x1] : [x0]) {
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
    }
    if (row >= MAX_BAND_LABELS) return;
    const label = g.colors.length > 1 ? `${g.label} (${g.colors.length} runs)` : g.label;
    ctx.fillStyle = color;
    ctx.fillText(label, Math.max(left + 2 * dpr, Math.min(x0 + 4 * dpr, left + width - ctx.measureText(label).width - 2 * dpr)), top + (12 + 12 * row) * dpr);
  });
  ctx.restore();
}
