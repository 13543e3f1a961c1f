// W&B's diff habit for the run table: of the hyper-parameters of the ticked runs, only those
// that differ among them become columns (a key one run lacks differs too). With fewer than two
// runs ticked nothing differs, so the table shows every key of the runs instead. Pure.

type Hyper = Readonly<Record<string, string>> | undefined;

/** The keys whose values differ among `runs`, in the order they first appear. */
export function differingKeys(runs: readonly Hyper[]): string[] {
  const keys = [...new Set(runs.flatMap((h) => Object.keys(h ?? {})))];
  if (runs.length < 2) return [];
  return keys.filter((k) => new Set(runs.map((h) => h?.[k] ?? '\u0000')).size > 1);
}

/** The hyper-parameter columns of the run table: those that differ among the ticked runs, else every key of all runs. */
export function hyperColumns(all: readonly Hyper[], ticked: readonly Hyper[]): { readonly keys: string[]; readonly diff: boolean } {
  if (ticked.length >= 2) return { keys: differingKeys(ticked), diff: true };
  return { keys: [...new Set(all.flatMap((h) => Object.keys(h ?? {})))], diff: false };
}

/** The values the ticked runs share (the table's caption: `same in all: batch 32 · epochs 20`). */
export function sharedValues(ticked: readonly Hyper[]): [string, string][] {
  if (ticked.length < 2) return [];
  const keys = [...new Set(ticked.flatMap((h) => Object.keys(h ?? {})))];
  const differ = new Set(differingKeys(ticked));
  return keys.filter((k) => !differ.has(k)).map((k) => [k, ticked[0]?.[k] ?? '']);
}
