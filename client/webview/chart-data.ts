// What one chart draws: its lines on one shared x grid of at most `maxPoints` steps, as uPlot's
// aligned data wants them. A long native run has hundreds of thousands of steps, and aligning every
// point of every run shown on every live redraw kept the webview's thread (which the workbench
// shares) busy for seconds: the Stop button's answer and the status bar waited behind it. So the
// x range is cut into buckets of `w` steps, and each line gives the value of its last point in
// each bucket; with w = 1 (short runs) that is every point. The cost is O(buckets · log points)
// per line, whatever the length of the run.
// Pure: no DOM, no uPlot, no `vscode`.

export interface ChartLine {
  /** Steps in ascending order (arrival order of a run's events) and the values to draw there. */
  readonly x: readonly number[];
  readonly y: readonly number[];
}

export interface AlignedLines {
  /** The grid: the last step of each bucket. */
  readonly x: number[];
  /** One column per line, `null` where the line has no point in that bucket. */
  readonly ys: (number | null)[][];
}

/** Roughly two points per pixel of a wide chart. */
export const MAX_CHART_POINTS = 1500;

/** Live redraws come at most this often (ms)… */
export const LIVE_REDRAW_MS = 250;
/** …and leave the thread free at least this many times as long as the last redraw took. */
const REDRAW_IDLE_FACTOR = 5;
const MAX_REDRAW_MS = 2000;

/**
 * How long to wait before the next live redraw, after one that took `lastDrawMs` (wall time). NOTE:
 * the webview shares its thread with the workbench; on a loaded machine a redraw takes longer,
 * and waiting in proportion keeps the drawing to a sixth of the thread, so the workbench (the
 * status bar, the palette, the Stop button's message) is never queued behind the charts.
 */
export function nextRedrawDelay(lastDrawMs: number): number {
  return Math.min(MAX_REDRAW_MS, Math.max(LIVE_REDRAW_MS, REDRAW_IDLE_FACTOR * lastDrawMs));
}

export function alignLines(lines: readonly ChartLine[], maxPoints: number = MAX_CHART_POINTS): AlignedLines {
  const nonEmpty = lines.filter((l) => l.x.length > 0);
  if (nonEmpty.length === 0) return { x: [], ys: lines.map(() => []) };
  const lo = Math.min(...nonEmpty.map((l) => l.x[0]!));
  const hi = Math.max(...nonEmpty.map((l) => l.x[l.x.length - 1]!));
  const width = Math.max(1, Math.ceil((hi - lo + 1) / Math.max(1, maxPoints)));
  const buckets = Math.max(1, Math.ceil((hi - lo + 1) / width));
  const x: number[] = [];
  for (let k = 0; k < buckets; k++) x.push(Math.min(hi, lo + (k + 1) * width - 1));
  return { x, ys: lines.map((l) => column(l, x)) };
}

/** The line's value in each bucket of `grid`: its last point with a step ≤ the bucket's end, if any is in the bucket. */
function column(line: ChartLine, grid: readonly number[]): (number | null)[] {
  const out: (number | null)[] = [];
  let next = 0; // the first point not yet used
  for (const end of grid) {
    const i = lastAtMost(line.x, end, next);
    if (i >= next) {
      out.push(line.y[i]!);
      next = i + 1;
    } else out.push(null);
  }
  return out;
}

/** The last index i ≥ from with xs[i] ≤ value (binary search: xs is ascending), or from - 1. */
function lastAtMost(xs: readonly number[], value: number, from: number): number {
  let lo = from;
  let hi = xs.length - 1;
  let found = from - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= value) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
