// The dashboard's inputs: a plain data model (runs with their summaries, loaded series and
// phases), the actions a host offers, and the view state it may persist. Both the VS Code
// webview (main.ts) and a static HTML report fill these; nothing here knows `vscode`.

import type { RunSummary, SweepSummary } from '../../protocol';
import type { RunSeries, XAxis } from '../series';
import type { SortState } from '../run-sort';

export interface DashboardRun {
  /** The run folder's summary: id, recipe, status, hyper-parameters, final metrics, backend, compression. */
  readonly summary: RunSummary;
  /** Whether the run is going now (live status, duration and a Stop button). */
  readonly live: boolean;
  /** Its metric series and phases, once loaded (appended to in place while it runs). */
  readonly series?: RunSeries;
  /** The recipe's text, when the host has it (the report shows it; the panel opens the file). */
  readonly recipeText?: string;
}

export interface DashboardModel {
  /** Newest first. */
  readonly runs: readonly DashboardRun[];
  /** The run drawn emphasised (the one just started), if any. */
  readonly current?: string;
  /** The workspace's sweeps; their trials' runs are among `runs`. */
  readonly sweeps?: readonly SweepSummary[];
}

/** What the host does for the dashboard; each absent action hides its control (a report has none). */
export interface DashboardActions {
  /** The ticked runs changed: load the events of those without series. */
  select?(ids: readonly string[]): void;
  stop?(id: string): void;
  openRecipe?(id: string): void;
  /** The empty state's button. */
  runActive?(): void;
  save?(name: string, kind: 'png' | 'csv', data: string): void;
  /** The view state changed (the host keeps it across reloads). */
  persist?(view: ViewState): void;
}

export type DashboardTab = 'charts' | 'compare' | 'compression' | 'sweeps';

export interface ViewState {
  /** Runs drawn. */
  selected: string[];
  /** The runs the user ticked (a new run is shown with these, never with every earlier run). */
  pinned: string[];
  smoothing: number;
  log: boolean;
  xAxis: XAxis;
  filter: string;
  folded: string[];
  enlarged: string | undefined;
  tab: DashboardTab;
  sort: SortState | undefined;
  compareMetric: string | undefined;
  compareX: string | undefined;
}

export function defaultView(saved?: Partial<ViewState>): ViewState {
  return {
    selected: saved?.selected ?? [],
    pinned: saved?.pinned ?? [],
    smoothing: saved?.smoothing ?? 0.6,
    log: saved?.log ?? false,
    xAxis: saved?.xAxis ?? 'step',
    filter: saved?.filter ?? '',
    folded: saved?.folded ?? [],
    enlarged: saved?.enlarged,
    tab: saved?.tab ?? 'charts',
    sort: saved?.sort,
    compareMetric: saved?.compareMetric,
    compareX: saved?.compareX,
  };
}
