// Metrics CSV export: one row per (run, step) with one column per series, in long-table-friendly
// form: `run,step,<series…>`. Empty cells where a series has no value at that step.
// Pure: no DOM, no `vscode`.

import type { RunSeries } from './series';

export function toCsv(runs: ReadonlyArray<{ readonly id: string; readonly data: RunSeries }>): string {
  const names = [...new Set(runs.flatMap((r) => [...r.data.series.keys()]))].sort();
  const lines = [['run', 'step', ...names].map(cell).join(',')];
  for (const r of runs) {
    const rows = new Map<number, Map<string, number>>();
    for (const s of r.data.series.values()) {
      s.x.forEach((step, i) => {
        const row = rows.get(step) ?? new Map<string, number>();
        row.set(s.name, s.y[i]!);
        rows.set(step, row);
      });
    }
    for (const step of [...rows.keys()].sort((a, b) => a - b)) {
      const row = rows.get(step)!;
      lines.push([cell(r.id), String(step), ...names.map((n) => (row.has(n) ? String(row.get(n)) : ''))].join(','));
    }
  }
  return lines.join('\n') + '\n';
}

/** RFC 4180 quoting for cells that need it. */
function cell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
