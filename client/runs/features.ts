// Running recipes from the editor: the commands, the code lens, the status bar item, the output
// channel and the results panel, around one run manager whose workers are dist/worker.js.
// Workspace trust: in an untrusted workspace the editing features keep working, but runs (which
// execute code from the recipe's data and model files) are refused with an explanation.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { listRuns } from '../../runtime/engine/store';
import { adapterDetail } from '../backend-label';
import { createResultsPanel } from '../panel/results-panel';
import type { RunEvent } from '../protocol';
import { readSettings, runsDirFor, unavailableBackend, type RunSettings } from '../settings';
import { createEventBatcher } from './event-batcher';
import { createRunManager, type RunHandle } from './run-manager';
import { recipeCodeLenses, registerSweepCommand } from './code-lens';
import { ENDED_SHOWN_MS, statusBarItem } from './status-bar';

/** How often a run's progress (percent, loss) may change the status bar (ms). */
const STATUS_PROGRESS_MS = 250;

export function registerRunFeatures(context: vscode.ExtensionContext): void {
  const settings = (): RunSettings => {
    const c = vscode.workspace.getConfiguration('minima');
    return readSettings((k) => c.get(k));
  };
  const workspaceDir = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const runsDir = () => {
    const ws = workspaceDir();
    return ws ? runsDirFor(settings(), ws, ws) : undefined;
  };
  // A platform VSIX carries onnxruntime-node in dist/node_modules/; the development host has the
  // repository's node_modules/. The worker (dist/worker.js) requires it from there.
  const hasOnnxruntimeNode = ['dist/node_modules/onnxruntime-node/package.json', 'node_modules/onnxruntime-node/package.json'].some((p) => fs.existsSync(context.asAbsolutePath(p)));
  const log = vscode.window.createOutputChannel('Minima Runs');
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  status.command = 'minima.openResults';
  const manager = createRunManager(
    { workerPath: context.asAbsolutePath(path.join('dist', 'worker.js')), maxParallel: settings().maxParallel },
    {
      onEvent: (run, e) => {
        logEvent(log, run, e);
        if (e.type === 'finished' || e.type === 'failed') ended(run);
        batcher.push(run, e);
        // The panel opens when the run has started: a run refused before its first step (a
        // recipe error, missing data) opens none, its error notification says why.
        if (e.type === 'started') panel.reveal();
      },
      onDone: (run, outcome) => {
        ended(run);
        batcher.flush();
        updateStatus();
        // The run is no longer live: the panel's table shows its final status from the run folder.
        panel.refreshRuns();
        const name = path.basename(run.request.recipePath);
        if (outcome.status === 'failed') {
          // A failure that points at a recipe line offers to go there.
          const line = outcome.line;
          const actions = line !== undefined ? [`Go to Line ${line + 1}`, 'Show Log'] : ['Show Log'];
          void vscode.window.showErrorMessage(`Minima: ${name} failed: ${outcome.message ?? 'unknown error'}`, ...actions).then((a) => {
            if (a === 'Show Log') log.show();
            else if (a !== undefined && line !== undefined) void showRecipeLine(run.request.recipePath, line);
          });
        }
        else if (outcome.status === 'finished') void vscode.window.showInformationMessage(`Minima: ${name} finished.`, 'Open Results').then((a) => a && panel.reveal(run.runId() ? [run.runId()!] : undefined));
      },
      onLog: (_run, text) => log.append(text),
    },
  );
  // NOTE: a fast run emits thousands of steps a second; the panel and the status bar get them in
  // batches so the extension host stays responsive.
  const batcher = createEventBatcher<RunHandle>((run, events) => {
    const id = run.runId();
    if (id) panel.post(id, events);
    if (events.some((e) => e.type === 'step' || e.type === 'epoch')) statusSoon();
    else updateStatus();
  });
  context.subscriptions.push({ dispose: () => batcher.dispose() });
  // A run is live until its end event arrives (the run folder says how it ended by then); its
  // worker may take a moment more to release the backend and exit.
  const live = () => manager.active().filter((r) => r.state() !== 'ended');
  const panel = createResultsPanel({
    extensionUri: context.extensionUri,
    runsDir,
    workspaceDir,
    liveRuns: () => live().flatMap((r) => (r.runId() ? [{ runId: r.runId()!, events: r.events }] : [])),
    stop: (id) => stop(live().find((r) => r.runId() === id)),
    // From the panel the webview has the focus, so the recipe is the visible editor's.
    runActive: () => void run(vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'minima')?.document.uri, false),
    smoothing: () => settings().smoothing,
  });

  // Runs that ended lately, shown in the status bar as `long cancelled` for ENDED_SHOWN_MS.
  const recent = new Set<RunHandle>();
  const statusTimer: { progress?: NodeJS.Timeout; expiry: Set<NodeJS.Timeout> } = { expiry: new Set() };
  context.subscriptions.push({ dispose: () => [statusTimer.progress, ...statusTimer.expiry].forEach(clearTimeout) });
  function ended(run: RunHandle): void {
    if (recent.has(run)) return;
    recent.add(run);
    updateStatus();
    const expiry = setTimeout(() => {
      statusTimer.expiry.delete(expiry);
      updateStatus();
    }, ENDED_SHOWN_MS + 50);
    statusTimer.expiry.add(expiry);
  }

  /** Progress redraws the status bar at most every STATUS_PROGRESS_MS; a run starting, stopping or ending at once. */
  function statusSoon(): void {
    if (statusTimer.progress === undefined) statusTimer.progress = setTimeout(updateStatus, STATUS_PROGRESS_MS);
  }

  function updateStatus(): void {
    clearTimeout(statusTimer.progress);
    delete statusTimer.progress;
    const now = Date.now();
    for (const r of recent) if (now - (r.endedAt() ?? now) >= ENDED_SHOWN_MS) recent.delete(r);
    const runs = [...new Set([...manager.active(), ...recent])].map((r) => ({ recipePath: r.request.recipePath, events: r.events, state: r.state(), startedAt: r.startedAt, ...(r.endedAt() !== undefined ? { endedAt: r.endedAt()! } : {}) }));
    const item = statusBarItem(runs, now);
    if (!item) return status.hide();
    status.text = item.text;
    status.tooltip = item.tooltip;
    status.show();
  }

  function stop(run: RunHandle | undefined): void {
    run?.stop();
    updateStatus();
  }

  async function run(uri: unknown, quick: boolean): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Minima: running recipes is disabled in an untrusted workspace, because a run reads data and model files and executes training code. Editing, checking and formatting still work. Trust the workspace to run.');
      return;
    }
    const doc = await recipeDocument(uri);
    if (!doc) return void vscode.window.showErrorMessage('Minima: open a .minima recipe to run it.');
    const s = settings();
    const backend = s.backend;
    const unavailable = unavailableBackend(backend, hasOnnxruntimeNode);
    if (unavailable) return void vscode.window.showErrorMessage(`Minima: ${unavailable}`);
    const started = manager.start({
      recipePath: doc.uri.fsPath,
      text: doc.getText(),
      options: { backend, runsDir: runsDirFor(s, vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath, doc.uri.fsPath), ...(s.threads ? { threads: s.threads } : {}), ...(quick ? { epochs: 1 } : {}) },
    });
    if (typeof started === 'string') return void vscode.window.showWarningMessage(`Minima: ${started}`);
    log.appendLine(`▶ ${doc.uri.fsPath}${quick ? ' (quick run, 1 epoch)' : ''} on ${backend}`);
    updateStatus();
  }

  async function pickRun(prompt: string, runs: readonly RunHandle[]): Promise<RunHandle | undefined> {
    if (runs.length <= 1) return runs[0];
    const pick = await vscode.window.showQuickPick(runs.map((r) => ({ label: path.basename(r.request.recipePath), description: r.runId() ?? 'starting', run: r })), { placeHolder: prompt });
    return pick?.run;
  }

  async function pickHistory(many: boolean): Promise<string[]> {
    const dir = runsDir();
    if (!dir) return [];
    const items = listRuns(dir).map((r) => ({ label: r.id, description: `${r.recipe} · ${r.status}`, id: r.id }));
    if (items.length === 0) return [];
    if (many) return ((await vscode.window.showQuickPick(items, { canPickMany: true, placeHolder: 'Runs to compare' })) ?? []).map((p) => p.id);
    const one = await vscode.window.showQuickPick(items, { placeHolder: 'Run' });
    return one ? [one.id] : [];
  }

  context.subscriptions.push(
    log,
    status,
    panel,
    { dispose: () => void manager.stopAll() },
    vscode.languages.registerCodeLensProvider({ language: 'minima' }, recipeCodeLenses()),
    registerSweepCommand(context),
    vscode.commands.registerCommand('minima.run', (uri?: unknown) => run(uri, false)),
    vscode.commands.registerCommand('minima.quickRun', (uri?: unknown) => run(uri, true)),
    vscode.commands.registerCommand('minima.stopRun', async () => {
      // Runs already stopping or ended (their workers still exiting) are not offered.
      const r = await pickRun('Stop which run?', manager.active().filter((run) => run.state() === 'running'));
      if (!r) return void vscode.window.showInformationMessage('Minima: no run is going.');
      stop(r);
    }),
    vscode.commands.registerCommand('minima.openResults', () => panel.reveal()),
    vscode.commands.registerCommand('minima.compareRuns', async () => {
      const ids = await pickHistory(true);
      if (ids.length > 0) panel.reveal(ids);
    }),
    vscode.commands.registerCommand('minima.exportModel', async () => {
      const [id] = await pickHistory(false);
      const dir = runsDir();
      if (!id || !dir) return;
      const source = vscode.Uri.file(path.join(dir, id, 'model.onnx'));
      const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(`${id}.onnx`), filters: { ONNX: ['onnx'] } });
      if (!target) return;
      try {
        await vscode.workspace.fs.copy(source, target, { overwrite: true });
      } catch {
        void vscode.window.showErrorMessage(`Minima: run ${id} has no exported model.onnx (it did not finish).`);
      }
    }),
  );
}

async function showRecipeLine(file: string, line: number): Promise<void> {
  const editor = await vscode.window.showTextDocument(vscode.Uri.file(file));
  const at = new vscode.Position(line, 0);
  editor.selection = new vscode.Selection(at, at);
  editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenter);
}

function logEvent(log: vscode.OutputChannel, run: RunHandle, e: RunEvent): void {
  const name = path.basename(run.request.recipePath);
  switch (e.type) {
    case 'started':
      return log.appendLine(`[${name}] started ${e.run.id} on ${e.run.adapter ? `${e.run.backend} (${adapterDetail(e.run.adapter)})` : e.run.backend} (${e.run.threads} thread(s)), ${e.run.epochs} epoch(s) × ${e.run.stepsPerEpoch} steps`);
    case 'epoch':
      return log.appendLine(`[${name}] epoch ${e.epoch + 1}: ${Object.entries(e.metrics).map(([k, v]) => `${k} ${v.toPrecision(4)}`).join(', ')}`);
    case 'phase':
      return log.appendLine(`[${name}] ${e.phase}: ${e.detail}`);
    case 'warning':
      return log.appendLine(`[${name}] warning: ${e.message}`);
    case 'finished':
      return log.appendLine(`[${name}] finished in ${e.seconds.toFixed(1)} s, ${e.steps} steps`);
    case 'failed':
      return log.appendLine(`[${name}] ${e.reason}: ${e.message}`);
    case 'step':
      return;
  }
}

async function recipeDocument(uri: unknown): Promise<vscode.TextDocument | undefined> {
  if (uri instanceof vscode.Uri) return vscode.workspace.openTextDocument(uri);
  const doc = vscode.window.activeTextEditor?.document;
  return doc?.languageId === 'minima' ? doc : undefined;
}
