// The results webview's entry: a thin adapter between VS Code and the dashboard (dashboard.ts).
// It keeps what the extension sends (the run history, which runs are live, each run's events,
// appended point by point while it runs), hands it to the dashboard as a plain model, and turns
// the dashboard's actions into messages (load runs, Stop, open the recipe, run the active
// recipe, save a file). The view state is kept with `vscode.setState` across reloads; the theme
// follows VS Code's (its CSS variables; charts are redrawn when the body's theme class changes).
// Its CSS (uPlot's and style.css) is concatenated into dist/webview.css by webpack.config.js.

import { isToPanel, PanelOpenRecipe, PanelReady, PanelRunActive, PanelSave, PanelSelect, PanelStop, type FromPanel, type RunSummary, type SweepSummary } from '../../protocol';
import { nextRedrawDelay } from '../chart-data';
import { appendEvent, emptyRunSeries, type RunSeries } from '../series';
import { mountDashboard, type DashboardModel, type ViewState } from './dashboard';

interface VsCodeApi { postMessage(m: FromPanel): void; getState(): unknown; setState(s: unknown): void }
declare function acquireVsCodeApi(): VsCodeApi;

start();

function start(): void {
  const vscode = acquireVsCodeApi();
  const saved = (vscode.getState() ?? undefined) as Partial<ViewState> | undefined;
  const data = new Map<string, RunSeries>();
  const runs: { list: readonly RunSummary[]; live: readonly string[]; sweeps: readonly SweepSummary[] } = { list: [], live: [], sweeps: [] };
  const model = (): DashboardModel => ({ runs: runs.list.map((summary) => ({ summary, live: runs.live.includes(summary.id), ...(data.has(summary.id) ? { series: data.get(summary.id)! } : {}) })), sweeps: runs.sweeps });
  const dashboard = mountDashboard(document.getElementById('app')!, {
    model: model(),
    ...(saved ? { view: saved } : {}),
    redrawDelay: nextRedrawDelay,
    actions: {
      select: (ids) => vscode.postMessage({ method: PanelSelect.method, runIds: ids.filter((id) => !data.has(id)) }),
      stop: (id) => vscode.postMessage({ method: PanelStop.method, runId: id }),
      openRecipe: (id) => vscode.postMessage({ method: PanelOpenRecipe.method, runId: id }),
      runActive: () => vscode.postMessage({ method: PanelRunActive.method }),
      save: (name, kind, payload) => vscode.postMessage({ method: PanelSave.method, name, kind, data: payload }),
      persist: (view) => vscode.setState(view),
    },
  });
  // VS Code swaps the body's theme class (vscode-dark, vscode-light, vscode-high-contrast).
  new MutationObserver(() => dashboard.setTheme()).observe(document.body, { attributes: true, attributeFilter: ['class'] });

  window.addEventListener('message', (ev: MessageEvent<unknown>) => {
    const m = ev.data;
    if (!isToPanel(m)) return;
    switch (m.method) {
      case 'panel/settings':
        // The setting is the default; a value the user picked on the slider stays.
        if (saved?.smoothing === undefined && dashboard.view().smoothing !== m.smoothing) dashboard.setSmoothing(m.smoothing);
        return;
      case 'panel/runs':
        runs.list = m.runs;
        runs.live = m.live;
        runs.sweeps = m.sweeps ?? [];
        return dashboard.setModel(model());
      case 'panel/show':
        return dashboard.show(m.runIds);
      case 'panel/events': {
        const fresh = m.reset || !data.has(m.runId);
        const run = fresh ? emptyRunSeries() : data.get(m.runId)!;
        data.set(m.runId, run);
        for (const e of m.events) appendEvent(run, e);
        // A new series object is a new model; points appended to a drawn one only need a redraw.
        return fresh ? dashboard.setModel(model()) : dashboard.dataChanged(true);
      }
    }
  });
  vscode.postMessage({ method: PanelReady.method });
  const selected = dashboard.view().selected;
  if (selected.length > 0) vscode.postMessage({ method: PanelSelect.method, runIds: selected });
}
