// One colour per run, the same in every chart, table row and legend entry. A run keeps its colour
// for as long as the panel lives: colours are handed out in the order runs are first seen and
// never move when other runs are ticked or unticked (W&B's habit), so a picture stays readable
// while runs come and go. Pure: no DOM, no `vscode`.

/**
 * Twenty colours that stay apart on dark and light backgrounds: Tableau 10 first (the ten most
 * distinct), then their lighter/darker partners, so the first ten runs never share a hue family.
 */
export const RUN_PALETTE: readonly string[] = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
  '#a0cbe8', '#ffbe7d', '#8cd17d', '#b6992d', '#499894', '#86bcb6', '#d37295', '#fabfd2', '#79706e', '#d4a6c8',
];

/** Colour by run id; `assign` adds the runs it has not seen, in the order given. */
export interface RunColors {
  readonly byId: ReadonlyMap<string, string>;
}

export function assignColors(previous: RunColors | undefined, ids: readonly string[]): RunColors {
  const byId = new Map(previous?.byId ?? []);
  // The colour least used so far goes to each new run: after 20 runs colours repeat, as evenly as they can.
  const uses = new Map(RUN_PALETTE.map((c) => [c, 0]));
  for (const c of byId.values()) uses.set(c, (uses.get(c) ?? 0) + 1);
  for (const id of ids) {
    if (byId.has(id)) continue;
    let best = RUN_PALETTE[0]!;
    for (const c of RUN_PALETTE) if (uses.get(c)! < uses.get(best)!) best = c;
    byId.set(id, best);
    uses.set(best, uses.get(best)! + 1);
  }
  return { byId };
}

/** The colour of one run (grey for a run the assignment has not seen: never thrown). */
export function colorOf(colors: RunColors, id: string): string {
  return colors.byId.get(id) ?? '#888888';
}

/** `#rrggbb` with an alpha, as `rgba(…)`: the faint raw line under the smoothed one. */
export function withAlpha(hex: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return hex;
  return `rgba(${parseInt(m[1]!, 16)}, ${parseInt(m[2]!, 16)}, ${parseInt(m[3]!, 16)}, ${alpha})`;
}
