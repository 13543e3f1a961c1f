// The run table: a tick and the run's colour, its short label (the full id on hover; a click
// opens the recipe), live status/steps/duration, final metrics, backend, the hyper-parameters
// that differ among the ticked runs as columns, and Stop for a running run. Sortable by any
// column; every cell truncates with its whole text as the tooltip, so nothing is cut at the
// default split. Knows the DOM; the cells' text comes from client/webview/run-table.ts.

import { fitColumns } from '../grid-layout';
import { hyperColumns, sharedValues } from '../hyper-diff';
import { colorOf, type RunColors } from '../run-colors';
import { nextSort, sortRows, type SortState } from '../run-sort';
import { backendCell, backendTooltip, finalBrief, finalMetric, runRow, statusTooltip } from '../run-table';
import type { DashboardActions, DashboardRun } from './model';

export interface RunTableInput {
  readonly runs: readonly DashboardRun[];
  readonly selected: readonly string[];
  readonly current: string | undefined;
  readonly colors: RunColors;
  readonly labels: ReadonlyMap<string, string>;
  readonly sort: SortState | undefined;
  readonly now: number;
  /** The table's width (px): hyper-parameter columns beyond what fits are folded into one `+N more` column. */
  readonly width: number;
  /** Runs that are sweep trials: listed only while ticked (the Sweeps tab lists the rest). */
  readonly trials: ReadonlySet<string>;
}

/** Widths (px) of the fixed columns (style.css), the least the run label needs, and the least a hyper-parameter column gets. */
const FIXED_PX: Readonly<Record<string, number>> = { tick: 46, status: 76, progress: 104, final: 60, backend: 96, stop: 72 };
const RUN_MIN_PX = 128;
const HYPER_MIN_PX = 72;

/** How many hyper-parameter columns fit beside the fixed ones (at least one). */
export function hyperCapacity(width: number, fixed: readonly string[]): number {
  const used = fixed.reduce((s, k) => s + (FIXED_PX[k] ?? 0), 0) + RUN_MIN_PX;
  return Math.max(1, Math.floor((width - used) / HYPER_MIN_PX));
}

export interface RunTableEvents {
  toggle(id: string, ticked: boolean): void;
  sort(state: SortState): void;
}

const FIXED = ['status', 'progress', 'final', 'backend'] as const;

export function renderRunTable(host: HTMLElement, input: RunTableInput, actions: DashboardActions, events: RunTableEvents): void {
  const ticked = input.runs.filter((r) => input.selected.includes(r.summary.id));
  const hyper = hyperColumns(input.runs.map((r) => r.summary.hyper), ticked.map((r) => r.summary.hyper));
  const allHyper = hyper.diff ? hyper.keys : [];
  // The diff habit for the backend too: with two or more runs ticked, a column only when it differs.
  const backendDiffers = new Set(ticked.map((r) => backendCell(r.summary))).size > 1;
  const fixed = FIXED.filter((k) => k !== 'backend' || !hyper.diff || backendDiffers);
  const finalKey = finalMetric(input.runs.map((r) => r.summary));
  const anyLive = input.runs.some((r) => r.live);
  const capacity = hyperCapacity(input.width, ['tick', ...fixed, ...(actions.stop && anyLive ? ['stop'] : [])]);
  const folded = allHyper.length > capacity ? allHyper.slice(capacity - 1) : [];
  const hyperKeys = folded.length > 0 ? allHyper.slice(0, capacity - 1) : allHyper;
  const table = document.createElement('table');
  table.className = 'mm-runs';
  table.id = 'runs';
  const columns: Array<{ key: string; title: string; cls: string }> = [
    { key: 'tick', title: '', cls: 'mm-col-tick' },
    { key: 'run', title: 'run', cls: 'mm-col-run' },
    ...fixed.map((key) => ({ key, title: key === 'final' ? (finalKey ?? 'final').replace('accuracy', 'acc').replace(/_/g, ' ') : key === 'progress' ? 'steps · time' : key, cls: `mm-col-${key}` })),
    ...(hyper.diff ? hyperKeys.map((k) => ({ key: `hyper:${k}`, title: k, cls: 'mm-col-hyper' })) : [{ key: 'hyper', title: 'hyper-parameters', cls: 'mm-col-hyper' }]),
    ...(folded.length > 0 ? [{ key: 'more', title: `+${folded.length}`, cls: 'mm-col-hyper' }] : []),
    ...(actions.stop && anyLive ? [{ key: 'stop', title: '', cls: 'mm-col-stop' }] : []),
  ];
  const colgroup = document.createElement('colgroup');
  // Fixed columns have their widths, the run label at least RUN_MIN_PX, the hyper-parameters share
  // the rest; on a panel too narrow for all of that, every column shrinks and truncates.
  const widths = fitColumns(columns.map((c) => ({ min: c.key === 'run' ? RUN_MIN_PX : FIXED_PX[c.key] ?? HYPER_MIN_PX, flex: c.key === 'run' || c.key.startsWith('hyper') || c.key === 'more' })), input.width);
  columns.forEach((c, i) => {
    const col = document.createElement('col');
    col.className = c.cls;
    col.style.width = `${widths[i]}px`;
    colgroup.append(col);
  });
  table.style.width = `${Math.max(0, Math.floor(input.width))}px`;
  table.append(colgroup);
  const thead = table.createTHead().insertRow();
  for (const c of columns) {
    const th = document.createElement('th');
    th.className = c.cls;
    th.textContent = c.title;
    th.title = c.key === 'tick' || c.key === 'stop' ? '' : `${c.key === 'final' ? finalKey ?? 'final' : c.title}: click to sort`;
    if (input.sort?.column === c.key) th.dataset['sort'] = input.sort.direction;
    if (c.key === 'more') th.title = `also differ: ${folded.join(', ')} (wider panel: one column each)`;
    if (c.key !== 'tick' && c.key !== 'stop' && c.key !== 'more') th.onclick = () => events.sort(nextSort(input.sort, c.key));
    thead.append(th);
  }
  const cellsOf = new Map(input.runs.map((r) => [r.summary.id, runRow(r.summary, r.live, input.now)]));
  const keyOf = (r: DashboardRun, column: string): string | number | undefined => {
    const cells = cellsOf.get(r.summary.id)!;
    if (column === 'run') return Date.parse(r.summary.started) || r.summary.id;
    if (column === 'progress') return r.summary.steps ?? r.series?.lastStep;
    if (column === 'final') return finalKey ? r.summary.final?.[finalKey] : undefined;
    if (column.startsWith('hyper:')) return r.summary.hyper?.[column.slice(6)];
    return (cells as Record<string, string>)[column];
  };
  const listed = input.runs.filter((r) => !input.trials.has(r.summary.id) || input.selected.includes(r.summary.id));
  const rows = input.sort ? sortRows(listed, (r) => keyOf(r, input.sort!.column), input.sort.direction) : listed;
  const body = table.createTBody();
  for (const r of rows) {
    const id = r.summary.id;
    const cells = cellsOf.get(id)!;
    const tr = body.insertRow();
    tr.dataset['run'] = id;
    if (id === input.current) tr.classList.add('mm-current');
    if (input.selected.includes(id)) tr.classList.add('mm-ticked');
    const tick = tr.insertCell();
    tick.className = 'mm-col-tick';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = input.selected.includes(id);
    box.title = 'Draw this run';
    box.onchange = () => events.toggle(id, box.checked);
    const sw = document.createElement('span');
    sw.className = 'mm-swatch';
    sw.style.background = colorOf(input.colors, id);
    tick.append(box, sw);
    const run = tr.insertCell();
    run.dataset['column'] = 'run';
    const label = input.labels.get(id) ?? id;
    if (actions.openRecipe) {
      const a = document.createElement('a');
      a.href = '#';
      a.textContent = label;
      a.onclick = (ev) => { ev.preventDefault(); actions.openRecipe!(id); };
      run.append(a);
    } else run.textContent = label;
    run.title = `${id}\nrecipe ${r.summary.recipe}${r.summary.recipePath ? ` (${r.summary.recipePath})` : ''}${actions.openRecipe ? '\nclick to open the recipe' : ''}`;
    run.dataset['recipe'] = r.summary.recipe;
    for (const key of fixed) {
      const td = tr.insertCell();
      td.dataset['column'] = key;
      const progress = progressCell(r, cells);
      td.textContent = key === 'final' ? finalBrief(r.summary, finalKey) : key === 'progress' ? progress.text : (cells as Record<string, string>)[key] ?? '';
      td.title = key === 'backend' ? backendTooltip(r.summary) : key === 'status' ? statusTooltip(r.summary) || td.textContent : key === 'final' ? cells.final.replace(/, /g, '\n') : key === 'progress' ? progress.title : td.textContent;
      if (key === 'status') td.classList.add(`mm-status-${r.live ? 'running' : r.summary.status}`);
    }
    if (hyper.diff) {
      for (const k of hyperKeys) {
        const td = tr.insertCell();
        td.dataset['column'] = `hyper:${k}`;
        td.textContent = r.summary.hyper?.[k] ?? '';
        td.title = `${k} ${td.textContent}`;
      }
      if (folded.length > 0) {
        const td = tr.insertCell();
        td.dataset['column'] = 'more';
        td.textContent = folded.map((k) => `${k} ${r.summary.hyper?.[k] ?? '—'}`).join(' · ');
        td.title = folded.map((k) => `${k} ${r.summary.hyper?.[k] ?? '—'}`).join('\n');
      }
    } else {
      const td = tr.insertCell();
      td.dataset['column'] = 'hyper';
      td.textContent = cells['hyper-parameters'];
      td.title = Object.entries(r.summary.hyper ?? {}).map(([k, v]) => `${k} ${v}`).join('\n');
    }
    if (actions.stop && anyLive) {
      const td = tr.insertCell();
      td.className = 'mm-col-stop';
      if (r.live) {
        const b = document.createElement('button');
        b.className = 'mm-button mm-secondary';
        b.textContent = 'Stop';
        b.title = `Stop ${label}`;
        b.onclick = () => {
          // Until the run's end comes back (the table is redrawn then), the click shows it was taken.
          b.disabled = true;
          b.textContent = 'Stopping…';
          actions.stop!(id);
        };
        td.append(b);
      }
    }
  }
  const caption = document.createElement('div');
  caption.className = 'mm-caption';
  const shared = [...(hyper.diff && !backendDiffers && ticked[0] ? [['backend', backendCell(ticked[0].summary)] as [string, string]] : []), ...sharedValues(ticked.map((r) => r.summary.hyper))].filter(([, v]) => v !== '');
  caption.textContent = hyper.diff
    ? shared.length > 0 ? `Columns: what differs among the ${ticked.length} ticked runs. Same in all: ${shared.map(([k, v]) => `${k} ${v}`).join(' · ')}` : `Columns: what differs among the ${ticked.length} ticked runs.`
    : '';
  caption.title = caption.textContent;
  host.replaceChildren(table, caption);
}

/**
 * Steps and time in one cell: `57600 · 19 s`; a live run's share of its planned steps, `8% · 12 s`,
 * with the counts in the tooltip.
 */
function progressCell(r: DashboardRun, cells: { steps: string; duration: string }): { text: string; title: string } {
  const steps = r.series?.lastStep ?? r.summary.steps;
  const total = r.series?.totalSteps;
  if (r.live && steps !== undefined && total) {
    return { text: `${Math.floor((100 * steps) / total)}% · ${cells.duration}`, title: `step ${steps} of ${total}, ${cells.duration}` };
  }
  const text = [cells.steps, cells.duration].filter((x) => x !== '').join(' · ');
  return { text, title: `${cells.steps ? `${cells.steps} steps` : ''}${cells.duration ? `, ${cells.duration}` : ''}` };
}

/** Refreshes the progress cells of live runs (once a second) without rebuilding the table. */
export function refreshLiveCells(host: HTMLElement, runs: readonly DashboardRun[], now: number): void {
  for (const r of runs) {
    if (!r.live) continue;
    const tr = host.querySelector<HTMLTableRowElement>(`tr[data-run="${CSS.escape(r.summary.id)}"]`);
    const td = tr?.querySelector<HTMLElement>('td[data-column="progress"]');
    if (!td) continue;
    const p = progressCell(r, runRow(r.summary, true, now));
    td.textContent = p.text;
    td.title = p.title;
  }
}
