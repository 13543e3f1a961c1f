// How often a live chart redraws. NOTE: what one redraw draws (at most two points per bucket of
// the x range, whatever the length of the runs) is downsample.ts.
// Pure: no DOM, no uPlot, no `vscode`.

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
