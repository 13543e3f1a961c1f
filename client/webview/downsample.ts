// What one chart draws: its lines on one shared x grid, as uPlot's aligned data wants them, with
// at most two points per bucket of the x range whatever the length of the runs. A long native run
// has hundreds of thousands of steps, and 20 overlaid runs millions of points; drawing all of
// them on every live redraw kept the webview's thread (which the workbench shares) busy for
// seconds. So when the lines hold more distinct x values than `buckets`, the range is cut into
// `buckets` equal buckets (about one per pixel) and each line keeps, per bucket, its minimum and
// its maximum in the order they occur (min/max decimation: spikes and the envelope of a noisy
// loss survive, unlike taking every k-th point). Short lines keep every point, exactly.
// The CSV export keeps the full data: this is for drawing only. x may be steps, epochs or
// seconds (any ascending numbers). Pure: no DOM, no uPlot, no `vscode`.

export interface ChartLine {
  /** Ascending x values (a run's arrival order) and the values to draw there. */
  readonly x: readonly number[];
  readonly y: readonly number[];
}

export interface AlignedLines {
  readonly x: number[];
  /** One column per line, `null` where the line has no point at that x. */
  readonly ys: (number | null)[][];
}

/** About two points per pixel of a wide chart. */
export const DEFAULT_BUCKETS = 1200;

export function alignDownsampled(lines: readonly ChartLine[], buckets: number = DEFAULT_BUCKETS): AlignedLines {
  const nonEmpty = lines.filter((l) => l.x.length > 0);
  if (nonEmpty.length === 0) return { x: [], ys: lines.map(() => []) };
  const exact = unionIfSmall(nonEmpty, 2 * Math.max(1, buckets));
  if (exact) return { x: exact, ys: lines.map((l) => exactColumn(l, exact)) };
  const lo = Math.min(...nonEmpty.map((l) => l.x[0]!));
  const hi = Math.max(...nonEmpty.map((l) => l.x[l.x.length - 1]!));
  const n = Math.max(1, Math.floor(buckets));
  const width = (hi - lo) / n;
  // Two slots per bucket, at its first and second half: the extreme that comes first, then the other.
  const x: number[] = [];
  for (let k = 0; k < n; k++) x.push(lo + (k + 0.25) * width, lo + (k + 0.75) * width);
  x[x.length - 1] = hi;
  return { x, ys: lines.map((l) => bucketColumn(l, lo, width, n)) };
}

/** The sorted distinct x values of all lines when there are at most `limit`, else undefined. */
function unionIfSmall(lines: readonly ChartLine[], limit: number): number[] | undefined {
  const total = lines.reduce((s, l) => s + l.x.length, 0);
  if (total > limit * lines.length) return undefined;
  const all = new Set<number>();
  for (const l of lines) {
    for (const v of l.x) {
      all.add(v);
      if (all.size > limit) return undefined;
    }
  }
  return [...all].sort((a, b) => a - b);
}

function exactColumn(line: ChartLine, grid: readonly number[]): (number | null)[] {
  const out: (number | null)[] = new Array(grid.length).fill(null);
  let j = 0;
  for (let i = 0; i < line.x.length; i++) {
    while (j < grid.length && grid[j]! < line.x[i]!) j++;
    // A repeated x (two points at one step) keeps the later value, as a live chart shows it.
    if (j < grid.length) out[j] = line.y[i]!;
  }
  return out;
}

function bucketColumn(line: ChartLine, lo: number, width: number, n: number): (number | null)[] {
  const out: (number | null)[] = new Array(2 * n).fill(null);
  const min = new Array<number>(n).fill(Infinity);
  const max = new Array<number>(n).fill(-Infinity);
  const minAt = new Array<number>(n).fill(-1);
  const maxAt = new Array<number>(n).fill(-1);
  for (let i = 0; i < line.x.length; i++) {
    const k = width > 0 ? Math.min(n - 1, Math.floor((line.x[i]! - lo) / width)) : 0;
    const v = line.y[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < min[k]!) { min[k] = v; minAt[k] = i; }
    if (v > max[k]!) { max[k] = v; maxAt[k] = i; }
  }
  for (let k = 0; k < n; k++) {
    if (minAt[k]! < 0) continue;
    const minFirst = minAt[k]! <= maxAt[k]!;
    out[2 * k] = minFirst ? min[k]! : max[k]!;
    out[2 * k + 1] = minFirst ? max[k]! : min[k]!;
  }
  return out;
}
