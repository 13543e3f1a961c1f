// The chart grid: how many cards fit side by side in the width the panel has, and how wide each
// is. Recomputed on every resize (the dashboard's ResizeObserver), so charts fill their cards at
// any panel size; an enlarged card spans the whole row. Pure: no DOM.

export interface GridSpec {
  /** The smallest width a chart card is useful at (its plot stays readable). */
  readonly minCardWidth: number;
  readonly gap: number;
}

export const DEFAULT_GRID: GridSpec = { minCardWidth: 340, gap: 12 };

export interface GridLayout {
  readonly columns: number;
  /** The width of one card (px, an integer): columns · cardWidth + (columns − 1) · gap ≤ width. */
  readonly cardWidth: number;
}

export function gridLayout(width: number, spec: GridSpec = DEFAULT_GRID): GridLayout {
  const w = Math.max(0, Math.floor(width));
  // As many columns as fit at the minimum width; the cards share what is left, so a wider panel shows more charts.
  const fit = Math.max(1, Math.floor((w + spec.gap) / (spec.minCardWidth + spec.gap)));
  const cardWidth = Math.floor((w - (fit - 1) * spec.gap) / fit);
  return { columns: fit, cardWidth: Math.max(0, cardWidth) };
}

/** The width of a card spanning `span` columns (an enlarged card spans all of them). */
export function spanWidth(layout: GridLayout, span: number, gap: number = DEFAULT_GRID.gap): number {
  const n = Math.max(1, Math.min(span, layout.columns));
  return n * layout.cardWidth + (n - 1) * gap;
}

/** A chart's plot height for a card width: wide cards are not squat, narrow ones not tall. */
export function chartHeight(cardWidth: number, enlarged: boolean): number {
  if (enlarged) return Math.round(Math.min(520, Math.max(280, cardWidth * 0.38)));
  return Math.round(Math.min(260, Math.max(180, cardWidth * 0.55)));
}

/**
 * Column widths (px) of a table `width` wide: each column gets at least its `min`, flexible
 * columns share what is left; when the minimums do not fit, every column shrinks in proportion
 * (its cells truncate, with their text as the tooltip), so the table never overflows its width.
 */
export function fitColumns(columns: ReadonlyArray<{ readonly min: number; readonly flex: boolean }>, width: number): number[] {
  const w = Math.max(0, Math.floor(width));
  const total = columns.reduce((s, c) => s + c.min, 0);
  if (columns.length === 0) return [];
  if (total > w) {
    const widths = columns.map((c) => Math.floor((c.min * w) / total));
    return widths;
  }
  const flex = columns.filter((c) => c.flex).length;
  const extra = w - total;
  const widths = columns.map((c) => c.min + (flex > 0 && c.flex ? Math.floor(extra / flex) : 0));
  // What integer division left goes to the last flexible column (or the last column).
  const last = flex > 0 ? columns.map((c) => c.flex).lastIndexOf(true) : columns.length - 1;
  widths[last]! += w - widths.reduce((s, x) => s + x, 0);
  return widths;
}
