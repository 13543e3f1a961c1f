// Short run labels for legends and tables: the recipe and the time of the run (`digits-sam 02:24`,
// with seconds or the date only where they are needed to tell ticked runs apart); the full id is
// the tooltip. Run ids are `YYYYMMDD-HHMMSS-<slug>[-n]` (runtime/engine/store.ts). Pure.

interface Labelled { readonly id: string; readonly recipe: string; readonly started?: string }

export function runLabels(runs: readonly Labelled[]): Map<string, string> {
  const parts = runs.map((r) => ({ id: r.id, recipe: r.recipe, ...stampOf(r.id) }));
  const out = new Map<string, string>();
  // Ids without a time (a sweep's trials are hashes) do not count as another day.
  const dates = new Set(parts.filter((p) => p.time !== undefined).map((p) => p.date));
  for (const p of parts) {
    if (p.time === undefined) {
      out.set(p.id, p.id);
      continue;
    }
    const sameMinute = parts.filter((q) => q.recipe === p.recipe && q.date === p.date && q.time?.slice(0, 5) === p.time!.slice(0, 5));
    const time = sameMinute.length > 1 ? p.time : p.time.slice(0, 5);
    const date = dates.size > 1 ? `${p.date} ` : '';
    // A folder claimed twice in one second gets `-2`, `-3` (unless the recipe's own name ends so).
    const suffix = /-(\d+)$/.exec(p.id)?.[1];
    const own = suffix !== undefined && p.recipe.endsWith(`-${suffix}`);
    out.set(p.id, `${p.recipe} ${date}${time}${suffix && !own ? ` #${suffix}` : ''}`);
  }
  return out;
}

function stampOf(id: string): { date: string; time?: string } {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-/.exec(id);
  if (!m) return { date: '' };
  return { date: `${m[2]}-${m[3]}`, time: `${m[4]}:${m[5]}:${m[6]}` };
}
