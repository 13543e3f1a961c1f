// The run table: a tick and the run's colour, its short label (the full id on hover; a click
// opens the recipe), live status/steps/duration, final metrics, backend, the hyper-parameters
// that differ among the ticked runs as columns, and Stop for a running run. Sortable by any
// column; every cell truncates with its whole text as the tooltip, so nothing is cut at the
// default split. Knows the DOM; the cells' text comes from client/webview/run-table.ts.

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
}

export interface RunTableEvents {
  toggle(id: string, ticked: boolean): void;
  sort(state: SortState): void;
}

const FIXED = ['status', 'steps', 'duration', 'final', 'backend'] as const;

export function renderRunTable(host: HTMLElement, input: RunTableInput, actions: DashboardActions, events: RunTableEvents): void {
  const ticked = input.runs.filter((r) => input.selected.includes(r.summary.id));
  const hyper = hyperColumns(input.runs.map((r) => r.summary.hyper), ticked.map((r) => r.summary.hyper));
  const hyperKeys = hyper.diff ? hyper.keys : [];
  // The diff habit for the backend too: with two or more runs ticked, a column only when it differs.
  const backendDiffers = new Set(ticked.map((r) => backendCell(r.summary))).size > 1;
  const fixed = FIXED.filter((k) => k !== 'backend' || !hyper.diff || backendDiffers);
  const finalKey = finalMetric(input.runs.map((r) => r.summary));
  const anyLive = input.runs.some((r) => r.live);
  const table = document.createElement('table');
  table.className = 'mm-runs';
  table.id = 'runs';
  const columns: Array<{ key: string; title: string; cls: string }> = [
    { key: 'tick', title: '', cls: 'mm-col-tick' },
    { key: 'run', title: 'run', cls: 'mm-col-run' },
    ...fixed.map((key) => ({ key, title: key === 'final' ? finalKey ?? 'final' : key, cls: `mm-col-${key}` })),
    ...(hyper.diff ? hyperKeys.map((k) => ({ key: `hyper:${k}`, title: k, cls: 'mm-col-hyper' })) : [{ key: 'hyper', title: 'hyper-parameters', cls: 'mm-col-hyper' }]),
    ...(actions.stop && anyLive ? [{ key: 'stop', title: '', cls: 'mm-col-stop' }] : []),
  ];
  const colgroup = document.createElement('colgroup');
  for (const c of columns) {
    const col = document.createElement('col');
    col.className = c.cls;
    colgroup.append(col);
  }
  table.append(colgroup);
  const thead = table.createTHead().insertRow();
  for (const c of columns) {
    const th = document.createElement('th');
    th.className = c.cls;
    th.textContent = c.title;
    th.title = c.key === 'tick' ? '' : `${c.title}: click to sort`;
    if (input.sort?.column === c.key) th.dataset['sort'] = input.sort.direction;
    if (c.key !== 'tick' && c.key !== 'stop') th.onclick = () => events.sort(nextSort(input.sort, c.key));
    thead.append(th);
  }
  const cellsOf = new Map(input.runs.map((r) => [r.summary.id, runRow(r.summary, r.live, input.now)]));
  const keyOf = (r: DashboardRun, column: string): string | number | undefined => {
    const cells = cellsOf.get(r.summary.id)!;
    if (column === 'run') return Date.parse(r.summary.started) || r.summary.id;
    if (column === 'duration') return r.summary.seconds ?? (r.live ? (input.now - Date.parse(r.summary.started)) / 1000 : undefined);
    if (column === 'steps') return r.summary.steps ?? r.series?.lastStep;
    if (column === 'final') return finalKey ? r.summary.final?.[finalKey] : undefined;
    if (column.startsWith('hyper:')) return r.summary.hyper?.[column.slice(6)];
    return (cells as Record<string, string>)[column];
  };
  const rows = input.sort ? sortRows(input.runs, (r) => keyOf(r, input.sort!.column), input.sort.direction) : input.runs;
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
      td.textContent = key === 'final' ? finalBrief(r.summary, finalKey) : (cells as Record<string, string>)[key] ?? '';
      td.title = key === 'backend' ? backendTooltip(r.summary) : key === 'status' ? statusTooltip(r.summary) || td.textContent : key === 'final' ? cells.final.replace(/, /g, '\n') : td.textContent;
      if (key === 'status') td.classList.add(`mm-status-${r.live ? 'running' : r.summary.status}`);
    }
    if (hyper.diff) {
      for (const k of hyperKeys) {
        const td = tr.insertCell();
        td.dataset['column'] = `hyper:${k}`;
        td.textContent = r.summary.hyper?.[k] ?? '';
        td.title = `${k} ${td.textContent}`;
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

/** Refreshes the duration and steps cells of live runs (once a second) without rebuilding the table. */
export function refreshLiveCells(host: HTMLElement, runs: readonly DashboardRun[], now: number): void {
  for (const r of runs) {
    if (!r.live) continue;
    const tr = host.querySelector<HTMLTableRowElement>(`tr[data-run="${CSS.escape(r.summary.id)}"]`);
    if (!tr) continue;
    const cells = runRow(r.summary, true, now);
    const d = tr.querySelector<HTMLElement>('td[data-column="duration"]');
    if (d) d.textContent = d.title = cells.duration;
    const s = tr.querySelector<HTMLElement>('td[data-column="steps"]');
    const steps = r.series ? String(r.series.lastStep) + (r.series.totalSteps ? ` / ${r.series.totalSteps}` : '') : cells.steps;
    if (s) s.textContent = s.title = steps;
  }
}
