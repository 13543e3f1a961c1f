// The results webview: draws the events the extension sends (live runs appended point by point,
// past runs from the run store), one uPlot chart per metric family, runs overlaid. The run table
// picks which runs are shown; smoothing, log scale, PNG and CSV export are local. State is
// restored from `vscode.setState` when the panel is re-created. Its CSS (uPlot's and style.css) is
// concatenated into dist/webview.css by webpack.config.js.
// Knows the DOM and uPlot; series, smoothing and CSV live in the pure modules next door.

import uPlot from 'uplot';
import { isToPanel, PanelOpenRecipe, PanelReady, PanelSave, PanelSelect, PanelStop, type FromPanel, type RunSummary } from '../../protocol';
import { alignLines, nextRedrawDelay } from '../chart-data';
import { COMPRESSION_COLUMNS, compressionRows } from '../compression-view';
import { toCsv } from '../csv';
import { backendTooltip, RUN_COLUMNS, runRow, statusTooltip } from '../run-table';
import { appendEvent, baseName, chartOrder, emptyRunSeries, type RunSeries, type Series } from '../series';
import { smoothAppended, type Smoothed } from '../smoothing';

interface VsCodeApi { postMessage(m: FromPanel): void; getState(): unknown; setState(s: unknown): void }
declare function acquireVsCodeApi(): VsCodeApi;

interface ViewState { selected: string[]; smoothing: number; log: boolean }

const COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7'];

start();

function start(): void {
  const vscode = acquireVsCodeApi();
  const saved = vscode.getState() as Partial<ViewState> | undefined;
  const view: ViewState = { selected: saved?.selected ?? [], smoothing: saved?.smoothing ?? 0.6, log: saved?.log ?? false };
  const data = new Map<string, RunSeries>();
  const charts = new Map<string, uPlot>();
  const runs: { list: readonly RunSummary[]; live: readonly string[] } = { list: [], live: [] };
  const drawTimer: { id: number | undefined; lastMs: number } = { id: undefined, lastMs: 0 };
  // Each series' smoothed values, extended as the series grows (a new series object on reset starts over).
  const smoothed = new WeakMap<Series, Smoothed>();
  const smoothedOf = (s: Series): number[] => {
    const next = smoothAppended(smoothed.get(s), s.y, view.smoothing);
    smoothed.set(s, next);
    return next.values;
  };
  const app = document.getElementById('app')!;
  app.innerHTML = `<div class="bar"><label>Smoothing <input id="smooth" type="range" min="0" max="0.99" step="0.01"></label><label><input id="log" type="checkbox"> log scale</label><button id="png">Export PNG</button><button id="csv">Export CSV</button></div><table id="runs"></table><div id="charts"></div><section id="compression" hidden><h3>Compression</h3><table></table></section>`;
  const smoothInput = app.querySelector<HTMLInputElement>('#smooth')!;
  const logInput = app.querySelector<HTMLInputElement>('#log')!;
  smoothInput.value = String(view.smoothing);
  logInput.checked = view.log;
  const persist = () => vscode.setState(view);
  smoothInput.oninput = () => { view.smoothing = Number(smoothInput.value); persist(); redraw(true); };
  logInput.onchange = () => { view.log = logInput.checked; persist(); redraw(true); };
  app.querySelector<HTMLButtonElement>('#csv')!.onclick = () => vscode.postMessage({ method: PanelSave.method, name: 'metrics.csv', kind: 'csv', data: toCsv(shown().map((id) => ({ id, data: data.get(id)! }))) });
  app.querySelector<HTMLButtonElement>('#png')!.onclick = () => vscode.postMessage({ method: PanelSave.method, name: 'charts.png', kind: 'png', data: chartsPng([...charts.values()]) });

  const shown = () => view.selected.filter((id) => data.has(id));

  function renderTable(): void {
    const table = app.querySelector<HTMLTableElement>('#runs')!;
    table.replaceChildren();
    const head = table.insertRow();
    for (const h of ['', ...RUN_COLUMNS, '']) head.insertCell().textContent = h;
    for (const r of runs.list) {
      const row = table.insertRow();
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = view.selected.includes(r.id);
      box.title = 'Overlay this run';
      box.onchange = () => {
        view.selected = box.checked ? [...view.selected, r.id] : view.selected.filter((id) => id !== r.id);
        persist();
        if (box.checked && !data.has(r.id)) vscode.postMessage({ method: PanelSelect.method, runIds: [r.id] });
        renderCompression();
        redraw(true);
      };
      row.insertCell().append(box);
      const live = runs.live.includes(r.id);
      const cells = runRow(r, live, Date.now());
      for (const column of RUN_COLUMNS) {
        const cell = row.insertCell();
        cell.dataset['column'] = column;
        if (column === 'recipe') {
          // The link back to the recipe: the extension opens the original file (or the run's copy).
          const a = document.createElement('a');
          a.href = '#';
          a.textContent = cells.recipe;
          a.title = r.recipePath ?? 'the recipe copy in the run folder';
          a.onclick = (ev) => { ev.preventDefault(); vscode.postMessage({ method: PanelOpenRecipe.method, runId: r.id }); };
          cell.append(a);
        } else {
          cell.textContent = cells[column];
          if (column === 'backend') cell.title = backendTooltip(r);
          if (column === 'status') cell.title = statusTooltip(r);
        }
      }
      const stop = row.insertCell();
      if (live) {
        const b = document.createElement('button');
        b.textContent = 'Stop';
        b.onclick = () => {
          // Until the run's end comes back (the table is redrawn then), the click shows it was taken.
          b.disabled = true;
          b.textContent = 'Stopping…';
          vscode.postMessage({ method: PanelStop.method, runId: r.id });
        };
        stop.append(b);
      }
    }
    renderCompression();
  }

  /** Per-layer compression of the selected runs that compressed anything; hidden otherwise. */
  function renderCompression(): void {
    const section = app.querySelector<HTMLElement>('#compression')!;
    const rows = compressionRows(runs.list.filter((r) => view.selected.includes(r.id)));
    section.hidden = rows.length === 0;
    const table = section.querySelector('table')!;
    table.replaceChildren();
    if (rows.length === 0) return;
    const head = table.insertRow();
    for (const h of COMPRESSION_COLUMNS) head.insertCell().textContent = h;
    for (const r of rows) {
      const row = table.insertRow();
      for (const c of COMPRESSION_COLUMNS) row.insertCell().textContent = r[c];
    }
  }

  /**
   * Live events redraw the charts at most every LIVE_REDRAW_MS, and less often when drawing is slow
   * (nextRedrawDelay). NOTE: a native run sends a few thousand steps a second (the extension
   * batches them per 100 ms); drawing per message let the messages queue up behind the drawing, so
   * a stopped run read `running` for seconds. A redraw costs the same however long the runs are
   * (chart-data.ts).
   */
  function redrawSoon(): void {
    if (drawTimer.id !== undefined) return;
    drawTimer.id = window.setTimeout(() => {
      drawTimer.id = undefined;
      const t0 = performance.now();
      redraw(false);
      drawTimer.lastMs = performance.now() - t0;
    }, nextRedrawDelay(drawTimer.lastMs));
  }

  function redraw(rebuild: boolean): void {
    const ids = shown();
    const names = chartOrder(ids.flatMap((id) => [...data.get(id)!.series.keys()]));
    const families = [...new Set(names.map(baseName))];
    const host = app.querySelector<HTMLDivElement>('#charts')!;
    if (rebuild) {
      for (const c of charts.values()) c.destroy();
      charts.clear();
      host.replaceChildren();
    }
    for (const family of families) {
      const lines = ids.flatMap((id) => names.filter((n) => baseName(n) === family).map((n) => ({ id, name: n, s: data.get(id)!.series.get(n) })).filter((l) => l.s !== undefined));
      // At most MAX_CHART_POINTS steps per chart, however long the runs (chart-data.ts).
      const grid = alignLines(lines.map((l) => ({ x: l.s!.x, y: smoothedOf(l.s!) })));
      const aligned = [grid.x, ...grid.ys] as uPlot.AlignedData;
      const existing = charts.get(family);
      if (existing && existing.series.length === lines.length + 1) {
        existing.setData(aligned);
        continue;
      }
      existing?.destroy();
      const div = document.createElement('div');
      host.append(div);
      const markers = ids.flatMap((id) => data.get(id)!.phases);
      const opts: uPlot.Options = {
        title: family,
        width: Math.max(320, host.clientWidth - 16),
        height: 220,
        scales: { x: { time: false }, y: view.log ? { distr: 3 } : {} },
        series: [{ label: 'step' }, ...lines.map((l, i) => ({ label: ids.length > 1 ? `${l.name} · ${l.id}` : l.name, stroke: COLORS[i % COLORS.length]!, width: 1.5, spanGaps: true, dash: l.s!.source === 'epoch' ? [4, 3] : [] }))],
        hooks: { draw: [(u: uPlot) => drawMarkers(u, markers)] },
      };
      charts.set(family, new uPlot(opts, aligned, div));
    }
  }

  window.addEventListener('message', (ev: MessageEvent<unknown>) => {
    const m = ev.data;
    if (!isToPanel(m)) return;
    switch (m.method) {
      case 'panel/settings':
        if (saved?.smoothing === undefined) { view.smoothing = m.smoothing; smoothInput.value = String(m.smoothing); }
        return redraw(true);
      case 'panel/runs':
        runs.list = m.runs;
        runs.live = m.live;
        for (const id of m.live) if (!view.selected.includes(id)) view.selected.push(id);
        persist();
        return renderTable();
      case 'panel/show':
        view.selected = [...m.runIds];
        persist();
        renderTable();
        return redraw(true);
      case 'panel/events': {
        const run = m.reset || !data.has(m.runId) ? emptyRunSeries() : data.get(m.runId)!;
        data.set(m.runId, run);
        for (const e of m.events) appendEvent(run, e);
        if (!view.selected.includes(m.runId)) { view.selected.push(m.runId); persist(); renderTable(); }
        return m.reset ? redraw(true) : redrawSoon();
      }
    }
  });
  vscode.postMessage({ method: PanelReady.method });
  if (view.selected.length > 0) vscode.postMessage({ method: PanelSelect.method, runIds: view.selected });
}

function drawMarkers(u: uPlot, markers: ReadonlyArray<{ step: number; phase: string }>): void {
  const ctx = u.ctx;
  ctx.save();
  ctx.strokeStyle = '#888';
  ctx.fillStyle = '#888';
  ctx.setLineDash([2, 2]);
  for (const m of markers) {
    const x = u.valToPos(m.step, 'x', true);
    if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
    ctx.beginPath();
    ctx.moveTo(x, u.bbox.top);
    ctx.lineTo(x, u.bbox.top + u.bbox.height);
    ctx.stroke();
    ctx.fillText(m.phase, x + 3, u.bbox.top + 10);
  }
  ctx.restore();
}

/** Stacks every chart canvas into one PNG (as a data URL). */
function chartsPng(charts: readonly uPlot[]): string {
  const canvases = charts.map((c) => c.ctx.canvas);
  const out = document.createElement('canvas');
  out.width = Math.max(1, ...canvases.map((c) => c.width));
  out.height = Math.max(1, canvases.reduce((h, c) => h + c.height, 0));
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  canvases.reduce((y, c) => (ctx.drawImage(c, 0, y), y + c.height), 0);
  return out.toDataURL('image/png');
}
