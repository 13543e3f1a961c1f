// Which runs the dashboard draws. The user's ticks are kept (`pinned`); a run that starts is
// shown with them, replacing the run that was shown only because it had been the new one, so a
// 690-step run is never squashed into the first 2 % of an earlier 36,000-step run's axis. Pure.

export interface Selection {
  readonly selected: readonly string[];
  readonly pinned: readonly string[];
}

/** A new run started: draw it with the runs the user ticked. */
export function withNewRun(s: Selection, id: string): Selection {
  return { selected: [...s.pinned.filter((p) => p !== id), id], pinned: s.pinned };
}

/** The user ticked or unticked a run: ticks are the user's from now on. */
export function toggled(s: Selection, id: string, ticked: boolean): Selection {
  const selected = ticked ? [...s.selected.filter((x) => x !== id), id] : s.selected.filter((x) => x !== id);
  return { selected, pinned: selected };
}

/** Compare Runs picked exactly these. */
export function exactly(ids: readonly string[]): Selection {
  return { selected: [...ids], pinned: [...ids] };
}

/** Drops ids the history no longer has (a deleted run folder). */
export function known(s: Selection, ids: ReadonlySet<string>): Selection {
  return { selected: s.selected.filter((x) => ids.has(x)), pinned: s.pinned.filter((x) => ids.has(x)) };
}
