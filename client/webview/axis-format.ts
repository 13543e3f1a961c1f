// Tick and value text for the charts: compact SI for large numbers (36k, 1.2M), scientific for
// small ones (1e-3, 2.5e-4), as many decimals as keep neighbouring ticks apart (never
// `0.001, 0.001, 0`), fractions as percentages, and relative wall time as 45 s / 3 min / 1.5 h.
// Pure: no DOM, no uPlot.

/** Text for each tick of one axis; `percent` shows fractions (0.93) as 93%. */
export function formatTicks(ticks: readonly number[], percent = false): string[] {
  if (percent) return formatTicks(ticks.map((t) => t * 100)).map((s) => `${s}%`);
  if (ticks.length === 0) return [];
  const finite = ticks.filter(Number.isFinite);
  const span = Math.max(...finite.map(Math.abs), 0);
  const stepOf = finite.length > 1 ? Math.min(...finite.slice(1).map((t, i) => Math.abs(t - finite[i]!)).filter((d) => d > 0)) : span;
  const step = Number.isFinite(stepOf) && stepOf > 0 ? stepOf : span;
  if (span >= 1e4) return ticks.map((t) => si(t, step));
  if (span > 0 && span < 1e-2) return ticks.map((t) => scientific(t, step));
  // As many decimals as the step between ticks needs (2.5 apart: one), so neighbours never read alike.
  let decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  while (decimals < 6 && Math.abs(Math.round(step * 10 ** decimals) - step * 10 ** decimals) > 1e-6 * 10 ** decimals) decimals++;
  return ticks.map((t) => (t === 0 ? '0' : t.toFixed(decimals)));
}

/** A log axis' tick text: 1, 2 and 5 of each decade labelled, the rest left blank so labels never overlap. */
export function logTicks(splits: readonly number[], percent: boolean): string[] {
  return splits.map((v) => {
    const mantissa = Math.round(v / 10 ** Math.floor(Math.log10(v) + 1e-9));
    return mantissa === 1 || mantissa === 2 || mantissa === 5 ? formatValue(v, percent) : '';
  });
}

/** About `count` round ticks (1, 2 or 5 × 10^k apart) covering [min, max]; [min] when they are equal. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / Math.max(1, count - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return out;
}

/** One value in a readout or a table: 4 significant digits, compact. */
export function formatValue(v: number | null | undefined, percent = false): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (percent) return `${trim((100 * v).toPrecision(3))}%`;
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e5) return si(v, a / 1000);
  if (a < 1e-3) return scientific(v, a / 100);
  return trim(v.toPrecision(4));
}

/** Seconds since a run's start, as an axis or readout says them. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '';
  if (Math.abs(s) < 60) return `${trim(s.toFixed(Math.abs(s) < 10 && s % 1 !== 0 ? 1 : 0))} s`;
  if (Math.abs(s) < 3600) return `${trim((s / 60).toFixed(s % 60 === 0 ? 0 : 1))} min`;
  return `${trim((s / 3600).toFixed(1))} h`;
}

const SI = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k']] as const;

function si(v: number, step: number): string {
  for (const [scale, unit] of SI) {
    if (Math.abs(v) >= scale) {
      const decimals = Math.max(0, Math.min(3, -Math.floor(Math.log10(step / scale) + 1e-9)));
      return `${trim((v / scale).toFixed(decimals))}${unit}`;
    }
  }
  return v === 0 ? '0' : trim(v.toFixed(0));
}

function scientific(v: number, step: number): string {
  if (v === 0) return '0';
  const e = Math.floor(Math.log10(Math.abs(v)));
  const digits = Math.max(0, Math.min(4, e - Math.floor(Math.log10(step) + 1e-9)));
  return `${trim((v / 10 ** e).toFixed(digits))}e${e}`;
}

function trim(s: string): string {
  return s.includes('.') && !s.includes('e') ? s.replace(/\.?0+$/, '') : s;
}
