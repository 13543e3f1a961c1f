// The results dashboard: mounts into any DOM element and draws a plain data model (runs with
// their summaries, series, phases and compression) in a theme; it knows neither `vscode` nor how
// the data arrived. The VS Code webview (main.ts) feeds it messages and turns its actions into
// messages; a static HTML report can mount it the same way with no actions.
//
//   toolbar   tabs (Charts · Compare · Compression), metric filter, x axis, smoothing, log, export
//   run table sortable; ticks, colours, live status, the hyper-parameters that differ, Stop
//   legend    one entry per ticked run, its short label (the full id on hover)
//   views     charts: foldable sections of a responsive card grid (ResizeObserver), any card enlarged;
//             compare: scatter and parallel coordinates; compression: per-layer chart and table
//
// Knows the DOM and uPlot (through charts.ts); all logic sits in the pure modules next door.

import { toCsv } from '../csv';
import { chartHeight, gridLayout, spanWidth, DEFAULT_GRID } from '../grid-layout';
import { cardOf, cardOrder, matchesFilter, SECTION_TITLES, SECTIONS, sectionOf, type SectionId } from '../metric-sections';
import { assignColors, colorOf, type RunColors } from '../run-colors';
import { runLabels } from '../run-labels';
import { exactly, known, toggled, withNewRun } from '../selection';
import { sweepCompareRuns, sweepOf, sweepRows, trialLabels } from '../sweep-view';
import { X_AXES, type Series, type XAxis } from '../series';
import type { Smoothed } from '../smoothing';
import { createChartCard, type CardLine, type ChartCard } from './charts';
import { renderCompare, type CompareView } from './compare-view';
import { renderCompression } from './compression-panel';
import { defaultView, type DashboardActions, type DashboardModel, type DashboardRun, type DashboardTab, type ViewState } from './model';
import { refreshLiveCells, renderRunTable } from './run-table-view';

export type { DashboardActions, DashboardModel, DashboardRun, ViewState } from './model';

/** Colours and font of the dashboard; absent entries keep the stylesheet's (VS Code's theme variables). */
export interface DashboardTheme {
  readonly foreground?: string;
  readonly muted?: string;
  readonly background?: string;
  readonly card?: string;
  readonly border?: string;
  readonly grid?: string;
  readonly accent?: string;
  readonly font?: string;
}

export interface Dashboard {
  /**
   * The run list (newest first) changed: summaries, live flags, newly loaded series. A live run
   * not seen before is shown with the runs the user ticked, and emphasised.
   */
  setModel(model: DashboardModel): void;
  /** Series of shown runs grew (`live`: redraw soon, at most every 250 ms) or were replaced. */
  dataChanged(live: boolean): void;
  /** The smoothing weight (the setting's default); the slider follows. */
  setSmoothing(weight: number): void;
  /** Show exactly these runs (Compare Runs). */
  show(ids: readonly string[]): void;
  /** The theme changed (VS Code switched themes): charts are redrawn in the new colours. */
  setTheme(theme?: DashboardTheme): void;
  view(): Readonly<ViewState>;
  /** Every chart of the grid as one PNG (a data URL). */
  chartsPng(): string;
  destroy(): void;
}

export interface MountOptions {
  readonly model: DashboardModel;
  readonly actions?: DashboardActions;
  readonly view?: Partial<ViewState>;
  readonly theme?: DashboardTheme;
  /** Live redraw pacing (chart-data.ts's nextRedrawDelay); a report never redraws live. */
  readonly redrawDelay?: (lastDrawMs: number) => number;
  /**
   * `tabs` (the panel): one view at a time. `page` (the HTML report): no tabs; the charts, then the
   * compare view (two runs or more) and the compression view (when a run has one), on one page.
   */
  readonly layout?: 'tabs' | 'page';
}

const TABS: ReadonlyArray<[DashboardTab, string]> = [['charts', 'Charts'], ['compare', 'Compare'], ['compression', 'Compression'], ['sweeps', 'Sweeps']];
const X_LABELS: Readonly<Record<XAxis, string>> = { step: 'step', epoch: 'epoch', time: 'wall time' };
const CARD_CHROME = 22; // a card's padding and border, both sides
const HYPER_STEP_PX = 36; // a width change that may fit one more or one fewer hyper-parameter column

export function mountDashboard(host: HTMLElement, options: MountOptions): Dashboard {
  const actions = options.actions ?? {};
  const page = options.layout === 'page';
  const view = defaultView(options.view);
  const state: { model: DashboardModel; colors: RunColors; labels: Map<string, string>; current: string | undefined; seen: Set<string> } = {
    model: options.model,
    colors: assignColors(undefined, []),
    labels: new Map(),
    current: options.model.current,
    seen: new Set(options.model.runs.map((r) => r.summary.id)),
  };
  const cards = new Map<string, ChartCard>();
  const smoothCache = new WeakMap<Series, Smoothed>();
  const timers: { draw?: number; lastDrawMs: number; clock?: number } = { lastDrawMs: 0 };
  const persist = () => actions.persist?.({ ...view });

  const root = document.createElement('div');
  root.className = 'mm-dash';
  host.replaceChildren(root);
  applyTheme(root, options.theme);

  // ---- toolbar ----
  const toolbar = el('div', 'mm-toolbar');
  const tabs = el('div', 'mm-tabs');
  tabs.setAttribute('role', 'tablist');
  const tabButtons = new Map<DashboardTab, HTMLButtonElement>();
  for (const [id, title] of TABS) {
    const b = el('button', 'mm-tab');
    b.textContent = title;
    b.id = `tab-${id}`;
    b.setAttribute('role', 'tab');
    b.onclick = () => { view.tab = id; persist(); renderView(); };
    tabButtons.set(id, b);
    tabs.append(b);
  }
  const filter = el('input', 'mm-input');
  filter.id = 'filter';
  filter.type = 'search';
  filter.placeholder = 'Filter metrics';
  filter.value = view.filter;
  filter.oninput = () => { view.filter = filter.value; persist(); renderCharts(); };
  const xSelect = el('select', 'mm-select');
  xSelect.id = 'xaxis';
  xSelect.title = 'x axis';
  for (const x of X_AXES) {
    const o = document.createElement('option');
    o.value = x;
    o.textContent = `x: ${X_LABELS[x]}`;
    xSelect.append(o);
  }
  xSelect.value = view.xAxis;
  xSelect.onchange = () => { view.xAxis = xSelect.value as XAxis; persist(); renderCharts(); };
  const smoothLabel = el('label', 'mm-smooth');
  smoothLabel.title = 'Smoothing: the debiased exponential moving average TensorBoard draws (per-step metrics only; lr and per-epoch points are drawn as they are). The raw line stays, faint.';
  const smoothInput = el('input', '');
  smoothInput.id = 'smooth';
  smoothInput.type = 'range';
  smoothInput.min = '0';
  smoothInput.max = '0.99';
  smoothInput.step = '0.01';
  smoothInput.value = String(view.smoothing);
  const smoothValue = el('span', 'mm-smooth-value');
  smoothValue.id = 'smooth-value';
  smoothValue.textContent = view.smoothing.toFixed(2);
  smoothInput.oninput = () => { view.smoothing = Number(smoothInput.value); smoothValue.textContent = view.smoothing.toFixed(2); persist(); renderCharts(); };
  smoothLabel.append('Smoothing ', smoothInput, smoothValue);
  const logLabel = el('label', 'mm-check');
  const logInput = el('input', '');
  logInput.id = 'log';
  logInput.type = 'checkbox';
  logInput.checked = view.log;
  logInput.onchange = () => { view.log = logInput.checked; persist(); renderCharts(); };
  logLabel.append(logInput, ' log y');
  const chartControls = el('div', 'mm-controls');
  chartControls.append(filter, xSelect, smoothLabel, logLabel);
  const exports = el('div', 'mm-controls mm-exports');
  if (actions.save) {
    const png = button('Export PNG', 'png', () => actions.save!('charts.png', 'png', chartsPng()), true);
    const csv = button('Export CSV', 'csv', () => actions.save!('metrics.csv', 'csv', toCsv(shownRuns().map((r) => ({ id: r.summary.id, data: r.series! })))), true);
    exports.append(png, csv);
  }
  toolbar.append(tabs, chartControls, exports);
  tabs.hidden = page;
  if (page) root.classList.add('mm-page');

  const runsHost = el('div', 'mm-runs-host');
  const legend = el('div', 'mm-legend');
  legend.id = 'legend';
  const main = el('div', 'mm-main');
  const chartsHost = el('div', 'mm-charts');
  chartsHost.id = 'charts';
  const compareHost = el('div', 'mm-view');
  compareHost.id = 'compare';
  const compressionHost = el('div', 'mm-view');
  const sweepsHost = el('div', 'mm-view');
  sweepsHost.id = 'sweeps';
  main.append(chartsHost, compareHost, compressionHost, sweepsHost);
  const emptyHost = el('div', 'mm-empty-host');
  root.append(toolbar, runsHost, legend, emptyHost, main);
  const compareState: { view?: CompareView } = {};

  const observer = new ResizeObserver(() => layout());
  observer.observe(main);

  // ---- model ----
  const runsById = () => new Map(state.model.runs.map((r) => [r.summary.id, r]));
  const shownRuns = (): DashboardRun[] => {
    const byId = runsById();
    return view.selected.flatMap((id) => {
      const r = byId.get(id);
      return r?.series ? [r] : [];
    });
  };

  function refreshDerived(): void {
    const oldestFirst = [...state.model.runs].reverse();
    state.colors = assignColors(state.colors, oldestFirst.map((r) => r.summary.id));
    state.labels = new Map([...runLabels(state.model.runs.map((r) => r.summary)), ...trialLabels(state.model.sweeps ?? [])]);
  }

  function renderAll(): void {
    refreshDerived();
    renderTable();
    renderLegend();
    renderView();
  }

  let tableWidth = 0;
  function renderTable(): void {
    tableWidth = runsHost.clientWidth || main.clientWidth;
    renderRunTable(runsHost, { runs: state.model.runs, selected: view.selected, current: state.current, colors: state.colors, labels: state.labels, sort: view.sort, now: Date.now(), width: tableWidth, trials: new Set((state.model.sweeps ?? []).flatMap((s) => s.trials.map((t) => t.runId))) }, actions, {
      toggle: (id, ticked) => {
        Object.assign(view, toggled(view, id, ticked));
        persist();
        const r = runsById().get(id);
        if (ticked && !r?.series) actions.select?.(view.selected);
        renderAll();
      },
      sort: (s) => { view.sort = s; persist(); renderTable(); },
    });
    runsHost.hidden = state.model.runs.length === 0;
    clock();
  }

  /** Live runs' durations and steps tick once a second. */
  function clock(): void {
    const anyLive = state.model.runs.some((r) => r.live);
    if (anyLive && timers.clock === undefined) timers.clock = window.setInterval(() => refreshLiveCells(runsHost, state.model.runs, Date.now()), 1000);
    if (!anyLive && timers.clock !== undefined) { window.clearInterval(timers.clock); delete timers.clock; }
  }

  function renderLegend(): void {
    legend.replaceChildren();
    const byId = runsById();
    for (const id of view.selected) {
      const r = byId.get(id);
      if (!r) continue;
      const item = el('span', 'mm-legend-item');
      item.dataset['run'] = id;
      if (id === state.current) item.classList.add('mm-current');
      item.title = `${id}${r.live ? ' (running)' : ` (${r.summary.status})`}`;
      const sw = el('span', 'mm-swatch');
      sw.style.background = colorOf(state.colors, id);
      const text = el('span', 'mm-legend-label');
      text.textContent = state.labels.get(id) ?? id;
      item.append(sw, text);
      legend.append(item);
    }
    legend.hidden = legend.childElementCount === 0 || view.tab === 'compression';
  }

  function renderView(): void {
    if (page) return renderPage();
    for (const [id, b] of tabButtons) {
      b.classList.toggle('mm-active', id === view.tab);
      b.setAttribute('aria-selected', String(id === view.tab));
    }
    tabButtons.get('sweeps')!.hidden = (state.model.sweeps ?? []).length === 0;
    if (view.tab === 'sweeps' && (state.model.sweeps ?? []).length === 0) view.tab = 'charts';
    chartControls.hidden = view.tab !== 'charts';
    chartsHost.hidden = view.tab !== 'charts';
    compareHost.hidden = view.tab !== 'compare';
    compressionHost.hidden = view.tab !== 'compression';
    sweepsHost.hidden = view.tab !== 'sweeps';
    legend.hidden = legend.childElementCount === 0 || view.tab === 'compression';
    if (view.tab === 'charts') renderCharts();
    else if (view.tab === 'compare') renderCompareView();
    else if (view.tab === 'sweeps') renderSweepsView();
    else renderCompressionView();
  }

  /** The `page` layout: every view that has something to show, one after the other. */
  function renderPage(): void {
    const byId = runsById();
    const ticked = view.selected.flatMap((id) => (byId.get(id) ? [byId.get(id)!] : []));
    chartControls.hidden = false;
    chartsHost.hidden = false;
    compareHost.hidden = ticked.length < 2;
    compressionHost.hidden = !ticked.some((r) => (r.summary.compression?.length ?? 0) > 0);
    renderCharts();
    if (!compareHost.hidden) renderCompareView();
    if (!compressionHost.hidden) renderCompressionView();
  }

  function setEmpty(text: string | undefined, withRun = false): void {
    emptyHost.replaceChildren();
    emptyHost.hidden = text === undefined;
    main.hidden = text !== undefined;
    if (text === undefined) return;
    const box = el('div', 'mm-empty');
    const p = el('p', '');
    p.textContent = text;
    box.append(p);
    if (withRun && actions.runActive) box.append(button('▶ Run the active recipe', 'run-active', () => actions.runActive!(), false));
    emptyHost.append(box);
  }

  function renderCharts(): void {
    if (!page && view.tab !== 'charts') return;
    if (state.model.runs.length === 0) return setEmpty('No runs yet. Open a .minima recipe and click ▶ Run above its first line; its curves appear here as it trains.', true);
    if (view.selected.length === 0) return setEmpty('No run is ticked. Tick runs in the table above to draw their curves; they share one colour each in every chart.');
    const shown = shownRuns();
    if (shown.length === 0) return setEmpty('Loading the ticked runs…');
    setEmpty(undefined);
    // Lines per card, in the ticked order (the legend's).
    const byCard = new Map<string, CardLine[]>();
    for (const r of shown) {
      for (const s of r.series!.series.values()) {
        const card = cardOf(s.name);
        if (!matchesFilter(card, view.filter)) continue;
        const lines = byCard.get(card) ?? [];
        lines.push({ runId: r.summary.id, runLabel: state.labels.get(r.summary.id) ?? r.summary.id, color: colorOf(state.colors, r.summary.id), current: r.summary.id === state.current && shown.length > 1, run: r.series!, series: s });
        byCard.set(card, lines);
      }
    }
    const order = cardOrder(byCard.keys());
    const sectionKey = JSON.stringify([order, view.enlarged, view.folded]);
    if (chartsHost.dataset['key'] !== sectionKey) {
      for (const [k, c] of cards) if (!byCard.has(k)) { c.destroy(); cards.delete(k); }
      chartsHost.replaceChildren();
      if (order.length === 0) {
        const none = el('div', 'mm-empty');
        none.textContent = view.filter ? `No metric matches “${view.filter}”.` : 'The ticked runs recorded no metrics.';
        chartsHost.append(none);
      }
      const bySection = new Map<SectionId, string[]>();
      for (const c of order) bySection.set(sectionOf(c), [...(bySection.get(sectionOf(c)) ?? []), c]);
      for (const section of SECTIONS) {
        const list = bySection.get(section);
        if (!list) continue;
        const details = el('details', 'mm-section');
        details.dataset['section'] = section;
        details.open = !view.folded.includes(section);
        const summary = el('summary', 'mm-section-title');
        summary.textContent = `${SECTION_TITLES[section]} `;
        const count = el('span', 'mm-count');
        count.textContent = String(list.length);
        summary.append(count);
        details.append(summary);
        details.ontoggle = () => {
          view.folded = details.open ? view.folded.filter((f) => f !== section) : [...new Set([...view.folded, section])];
          persist();
          chartsHost.dataset['key'] = JSON.stringify([order, view.enlarged, view.folded]);
          layout();
        };
        const grid = el('div', 'mm-grid');
        for (const c of list) {
          const enlarged = view.enlarged === c;
          let card = cards.get(c);
          if (!card || card.element.classList.contains('mm-enlarged') !== enlarged) {
            card?.destroy();
            card = createChartCard(c, c.replace(/_/g, ' '), () => { view.enlarged = view.enlarged === c ? undefined : c; persist(); renderCharts(); }, enlarged, smoothCache);
            card.element.classList.toggle('mm-enlarged', enlarged);
            cards.set(c, card);
          }
          grid.append(card.element);
        }
        details.append(grid);
        chartsHost.append(details);
      }
      chartsHost.dataset['key'] = sectionKey;
      layout();
    }
    const t0 = performance.now();
    for (const c of order) cards.get(c)!.update(byCard.get(c)!, { xAxis: view.xAxis, smoothing: view.smoothing, log: view.log });
    timers.lastDrawMs = performance.now() - t0;
  }

  function renderCompareView(): void {
    const byId = runsById();
    // The trials of one sweep are compared on what the sweep varied, by its metric and goal.
    const sweep = sweepOf(state.model.sweeps ?? [], view.selected);
    const ticked = sweep
      ? sweepCompareRuns(sweep, view.selected, new Map([...byId].map(([id, r]) => [id, r.summary])))
      : view.selected.flatMap((id) => {
        const r = byId.get(id);
        return r ? [{ id, hyper: r.summary.hyper, final: r.summary.final }] : [];
      });
    setEmpty(state.model.runs.length === 0 ? 'No runs yet.' : undefined, true);
    const sweepInput = sweep ? { goal: sweep.goal, caption: `Sweep ${sweep.id} (${sweep.strategy}): ${sweep.metric}, ${sweep.goal === 'max' ? 'higher' : 'lower'} is better, against the swept values; the best trial is ringed.` } : {};
    compareState.view = renderCompare({ runs: ticked, colors: state.colors, labels: state.labels, metric: view.compareMetric ?? sweep?.metric, x: view.compareX, ...sweepInput }, {
      metric: (m) => { view.compareMetric = m; persist(); renderCompareView(); },
      x: (k) => { view.compareX = k; persist(); renderCompareView(); },
    });
    compareHost.replaceChildren(compareState.view.element);
    compareState.view.layout(main.clientWidth);
  }

  /** The sweeps: one row each, and Show, which ticks the sweep's trials (one colour each) and opens Compare. */
  function renderSweepsView(): void {
    setEmpty(undefined);
    const rows = sweepRows(state.model.sweeps ?? [], state.model.runs.map((r) => r.summary));
    const table = el('table', 'mm-table');
    const head = table.createTHead().insertRow();
    for (const h of ['sweep', 'strategy', 'objective', 'trials', 'best trial', 'status', '']) {
      const th = document.createElement('th');
      th.textContent = h;
      head.append(th);
    }
    const body = table.createTBody();
    for (const r of rows) {
      const tr = body.insertRow();
      tr.dataset['sweep'] = r.id;
      for (const text of [r.id, r.strategy, r.objective, r.progress, r.best, r.status]) {
        const td = tr.insertCell();
        td.textContent = td.title = text;
      }
      const td = tr.insertCell();
      const b = button('Show', `show-${r.id}`, () => {
        Object.assign(view, exactly(r.runIds));
        view.tab = 'compare';
        view.compareMetric = undefined;
        view.compareX = undefined;
        persist();
        actions.select?.(view.selected);
        renderAll();
      }, true);
      b.disabled = r.runIds.length === 0;
      b.title = r.runIds.length === 0 ? 'No trial has a run folder yet' : `Tick the ${r.runIds.length} trials and compare them`;
      td.append(b);
    }
    sweepsHost.replaceChildren(table);
  }

  function renderCompressionView(): void {
    setEmpty(state.model.runs.length === 0 ? 'No runs yet.' : undefined, true);
    const byId = runsById();
    compressionHost.replaceChildren(renderCompression(view.selected.flatMap((id) => (byId.get(id) ? [byId.get(id)!] : [])), state.colors, state.labels));
  }

  /** Cards fill the width the panel has: columns, card widths and plot sizes follow every resize. */
  function layout(): void {
    const width = main.clientWidth;
    if (width <= 0) return;
    // The run table folds the hyper-parameter columns that do not fit: it is rebuilt when that changes.
    if (Math.abs((runsHost.clientWidth || width) - tableWidth) >= HYPER_STEP_PX) renderTable();
    const g = gridLayout(width);
    for (const grid of chartsHost.querySelectorAll<HTMLElement>('.mm-grid')) grid.style.gridTemplateColumns = `repeat(${g.columns}, ${g.cardWidth}px)`;
    for (const [k, card] of cards) {
      const enlarged = view.enlarged === k;
      const w = enlarged ? spanWidth(g, g.columns, DEFAULT_GRID.gap) : g.cardWidth;
      card.element.style.gridColumn = enlarged ? '1 / -1' : '';
      card.resize(w - CARD_CHROME, chartHeight(w, enlarged));
    }
    compareState.view?.layout(width);
  }

  function redrawSoon(): void {
    if (timers.draw !== undefined) return;
    timers.draw = window.setTimeout(() => {
      delete timers.draw;
      renderCharts();
    }, options.redrawDelay ? options.redrawDelay(timers.lastDrawMs) : 0);
  }

  function chartsPng(): string {
    const canvases = [...cards.values()].flatMap((c) => (c.plot && c.element.isConnected ? [c.plot.ctx.canvas] : []));
    const g = gridLayout(main.clientWidth);
    const cols = Math.max(1, Math.min(g.columns, canvases.length));
    const cw = Math.max(1, ...canvases.map((c) => c.width));
    const ch = Math.max(1, ...canvases.map((c) => c.height));
    const out = document.createElement('canvas');
    out.width = cols * cw;
    out.height = Math.max(1, Math.ceil(canvases.length / cols)) * ch;
    const ctx = out.getContext('2d')!;
    ctx.fillStyle = getComputedStyle(root).getPropertyValue('--mm-bg').trim() || '#fff';
    ctx.fillRect(0, 0, out.width, out.height);
    canvases.forEach((c, i) => ctx.drawImage(c, (i % cols) * cw, Math.floor(i / cols) * ch));
    return out.toDataURL('image/png');
  }

  renderAll();

  return {
    setModel(model) {
      state.model = model;
      if (model.current !== undefined) state.current = model.current;
      const ids = new Set(model.runs.map((r) => r.summary.id));
      for (const r of model.runs) {
        if (state.seen.has(r.summary.id)) continue;
        state.seen.add(r.summary.id);
        if (r.live) {
          Object.assign(view, withNewRun(view, r.summary.id));
          state.current = r.summary.id;
        }
      }
      Object.assign(view, known(view, ids));
      persist();
      const missing = view.selected.filter((id) => !model.runs.find((r) => r.summary.id === id)?.series);
      if (missing.length > 0) actions.select?.(missing);
      renderAll();
    },
    dataChanged(live) {
      if (live) return redrawSoon();
      renderAll();
    },
    setSmoothing(weight) {
      view.smoothing = weight;
      smoothInput.value = String(weight);
      smoothValue.textContent = weight.toFixed(2);
      renderCharts();
    },
    show(ids) {
      Object.assign(view, exactly(ids));
      persist();
      renderAll();
    },
    setTheme(theme) {
      applyTheme(root, theme);
      for (const c of cards.values()) c.destroy();
      cards.clear();
      delete chartsHost.dataset['key'];
      renderView();
    },
    view: () => view,
    chartsPng,
    destroy() {
      observer.disconnect();
      if (timers.draw !== undefined) window.clearTimeout(timers.draw);
      if (timers.clock !== undefined) window.clearInterval(timers.clock);
      for (const c of cards.values()) c.destroy();
      root.remove();
    },
  };
}

function applyTheme(root: HTMLElement, theme: DashboardTheme | undefined): void {
  const vars: Array<[keyof DashboardTheme, string]> = [['foreground', '--mm-fg'], ['muted', '--mm-muted'], ['background', '--mm-bg'], ['card', '--mm-card'], ['border', '--mm-border'], ['grid', '--mm-grid'], ['accent', '--mm-accent'], ['font', '--mm-font']];
  for (const [k, v] of vars) {
    const value = theme?.[k];
    if (value) root.style.setProperty(v, value);
    else root.style.removeProperty(v);
  }
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  return e;
}

function button(text: string, id: string, onClick: () => void, secondary: boolean): HTMLButtonElement {
  const b = el('button', `mm-button${secondary ? ' mm-secondary' : ''}`);
  b.id = id;
  b.textContent = text;
  b.onclick = onClick;
  return b;
}
