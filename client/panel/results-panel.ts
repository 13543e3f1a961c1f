// The results panel (vscode side): one webview that shows live runs, the run history and the
// workspace's sweeps (their trials are run folders beside sweep.json). It only
// forwards RunEvents and run summaries to the webview script (client/webview/ui) and answers its
// requests (load runs, stop, save files). The webview keeps its state while hidden.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { listRuns, readEvents, readSummary } from '../../runtime/engine/store';
import { isFromPanel, PanelEvents, PanelRuns, PanelSettings, PanelShow, type RunEvent, type ToPanel } from '../protocol';
import { panelHtml } from './html';
import { findSweeps } from './sweeps';

export interface ResultsPanelHost {
  readonly extensionUri: vscode.Uri;
  /** The runs folder of the workspace, read for the history. */
  runsDir(): string | undefined;
  /** The workspace folder, searched for sweeps (`.minima/sweeps/` next to their recipes). */
  workspaceDir(): string | undefined;
  /** Store ids of the live runs and their events so far. */
  liveRuns(): ReadonlyArray<{ readonly runId: string; readonly events: readonly RunEvent[] }>;
  stop(runId: string): void;
  /** The empty state's button: run the recipe of the active (or a visible) editor. */
  runActive(): void;
  smoothing(): number;
}

export interface ResultsPanel extends vscode.Disposable {
  reveal(select?: readonly string[]): void;
  /** Forwards live events of one run, in order (no-op when the panel is closed). */
  post(runId: string, events: readonly RunEvent[]): void;
  refreshRuns(): void;
}

export function createResultsPanel(host: ResultsPanelHost): ResultsPanel {
  // trialDirs: the folders sweeps keep their trials' runs in, by run id (from the last run list sent).
  const state: { panel?: vscode.WebviewPanel; pendingSelect?: readonly string[]; trialDirs: Map<string, string> } = { trialDirs: new Map() };
  const send = (m: ToPanel) => void state.panel?.webview.postMessage(m);
  const sendRuns = () => {
    const dir = host.runsDir();
    const root = host.workspaceDir();
    const sweeps = root ? findSweeps(root) : [];
    state.trialDirs = new Map(sweeps.flatMap((s) => s.trials.map((t) => [t.summary.id, t.dir] as const)));
    const trials = sweeps.flatMap((s) => s.trials.map((t) => t.summary));
    send({ method: PanelRuns.method, runs: [...(dir ? listRuns(dir) : []), ...trials], live: host.liveRuns().map((r) => r.runId), sweeps: sweeps.map((s) => s.sweep) });
  };
  /** The folder of run `id`: in the runs folder, or a sweep trial's. */
  const folderOf = (id: string): string | undefined => {
    const runs = host.runsDir();
    return state.trialDirs.get(id) ?? (runs ? path.join(runs, id) : undefined);
  };
  const sendEvents = (ids: readonly string[]) => {
    const live = new Map(host.liveRuns().map((r) => [r.runId, r.events] as const));
    for (const id of ids) {
      const dir = folderOf(id);
      const events = live.get(id) ?? (dir && fs.existsSync(path.join(dir, 'metrics.jsonl')) ? readEvents(dir) : []);
      send({ method: PanelEvents.method, runId: id, events, reset: true });
    }
  };
  const open = (): vscode.WebviewPanel => {
    if (state.panel) return state.panel;
    const dist = vscode.Uri.joinPath(host.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel('minima.results', 'Minima Results', vscode.ViewColumn.Beside, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [dist],
    });
    const w = panel.webview;
    w.html = panelHtml({ cspSource: w.cspSource, scriptUri: w.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(), styleUri: w.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString() });
    w.onDidReceiveMessage(async (m: unknown) => {
      if (!isFromPanel(m)) return;
      switch (m.method) {
        case 'panel/ready':
          send({ method: PanelSettings.method, smoothing: host.smoothing() });
          sendRuns();
          if (state.pendingSelect) send({ method: PanelShow.method, runIds: state.pendingSelect });
          sendEvents(state.pendingSelect ?? host.liveRuns().map((r) => r.runId));
          delete state.pendingSelect;
          return;
        case 'panel/select':
          sendEvents(m.runIds);
          return;
        case 'panel/stop':
          host.stop(m.runId);
          return;
        case 'panel/runActive':
          host.runActive();
          return;
        case 'panel/save':
          await save(m.name, m.kind, m.data);
          return;
        case 'panel/openRecipe':
          await openRecipe(folderOf(m.runId), m.runId);
          return;
      }
    });
    // A sweep run from the command line rewrites its sweep.json as trials end: the list follows (at most every 500 ms).
    const watcher = vscode.workspace.createFileSystemWatcher('**/.minima/sweeps/*/sweep.json');
    const timer: { id?: NodeJS.Timeout } = {};
    const soon = () => { if (!timer.id) timer.id = setTimeout(() => { delete timer.id; sendRuns(); }, 500); };
    watcher.onDidCreate(soon);
    watcher.onDidChange(soon);
    watcher.onDidDelete(soon);
    panel.onDidDispose(() => {
      watcher.dispose();
      clearTimeout(timer.id);
      delete state.panel;
    });
    state.panel = panel;
    return panel;
  };
  return {
    reveal(select) {
      const existed = state.panel !== undefined;
      const panel = open();
      panel.reveal(vscode.ViewColumn.Beside, true);
      if (!select) return;
      if (!existed) return void (state.pendingSelect = select);
      send({ method: PanelShow.method, runIds: select });
      sendEvents(select);
    },
    post(runId, events) {
      send({ method: PanelEvents.method, runId, events, reset: false });
      if (events.some((e) => e.type === 'started' || e.type === 'finished' || e.type === 'failed')) sendRuns();
    },
    refreshRuns: sendRuns,
    dispose: () => state.panel?.dispose(),
  };
}

/** The file the run was started from when it still exists, else the copy in its run folder. */
async function openRecipe(runDir: string | undefined, runId: string): Promise<void> {
  if (!runDir) return;
  const original = readSummary(runDir)?.recipePath;
  const file = original && fs.existsSync(original) ? original : path.join(runDir, 'recipe.minima');
  if (!fs.existsSync(file)) return void vscode.window.showWarningMessage(`Minima: the recipe of run ${runId} is gone.`);
  await vscode.window.showTextDocument(vscode.Uri.file(file), { viewColumn: vscode.ViewColumn.One });
}

async function save(name: string, kind: 'png' | 'csv', data: string): Promise<void> {
  const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(name), filters: kind === 'png' ? { 'PNG image': ['png'] } : { CSV: ['csv'] } });
  if (!target) return;
  const bytes = kind === 'png' ? Buffer.from(data.replace(/^data:image\/png;base64,/, ''), 'base64') : Buffer.from(data, 'utf8');
  await vscode.workspace.fs.writeFile(target, bytes);
}
