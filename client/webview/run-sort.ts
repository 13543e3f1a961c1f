// Sorting the run table by any column: numbers as numbers (`0.95` after `0.9`, `12 s` after `9 s`,
// `lr: 0.01` after `lr: 0.001`), text naturally, empty cells last in either direction. Pure.

export type SortDirection = 'asc' | 'desc';

export interface SortState {
  readonly column: string;
  readonly direction: SortDirection;
}

/** The rows sorted by `key(row)` (stable: equal keys keep their order). */
export function sortRows<T>(rows: readonly T[], key: (row: T) => string | number | undefined, direction: SortDirection): T[] {
  const sign = direction === 'asc' ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i, k: key(row) }))
    .sort((a, b) => {
      const ea = a.k === undefined || a.k === '';
      const eb = b.k === undefined || b.k === '';
      if (ea || eb) return ea === eb ? a.i - b.i : ea ? 1 : -1;
      return sign * compareCells(a.k!, b.k!) || a.i - b.i;
    })
    .map((r) => r.row);
}

/** A click on a column header: the same column flips direction, another starts descending for numbers' sake (best first). */
export function nextSort(current: SortState | undefined, column: string): SortState {
  if (current?.column === column) return { column, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { column, direction: column === 'run' || column === 'recipe' ? 'asc' : 'desc' };
}

export function compareCells(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  // Token by token: numbers (decimals and exponents included) as numbers, the text between them as text.
  const ta = tokens(String(a));
  const tb = tokens(String(b));
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const x = ta[i]!;
    const y = tb[i]!;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { sensitivity: 'base' });
    if (c !== 0) return c;
  }
  return ta.length - tb.length;
}

function tokens(s: string): (string | number)[] {
  return (s.match(/-?\d+(?:\.\d+)?(?:e[-+]?\d+)?|[^\d-]+|-/gi) ?? []).map((t) => (/^-?\d/.test(t) ? Number(t) : t));
}
