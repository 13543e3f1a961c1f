// The HTML report's page script (webpack's `report` entry, inlined into the page by
// runtime/cli/report-page.ts): reads the runs' data from the page's JSON block, puts the run info
// at the top (recipe, status, backend and adapter, versions, seed, hyper-parameters, duration, the
// recipe's text folded, the metrics as a CSV download) and mounts the results panel's dashboard
// (client/webview/ui/dashboard.ts) below it in its one-page layout, with no host actions. The
// theme is the page's (style.css: light, dark under `prefers-color-scheme: dark`). When the first
// charts are drawn, `data-ready` is set on <body> with the time it took (the e2e reads it).

import { adapterDetail, backendLabel } from '../backend-label';
import type { RunEvent } from '../protocol';
import { formatSeconds } from '../webview/axis-format';
import { seriesOf } from '../webview/series';
import { mountDashboard, type DashboardRun } from '../webview/ui/dashboard';
import type { ReportPayload, ReportRun } from '../../runtime/cli/report-data';
import { reportEvents } from './report-events';

const DATA_ID = 'minima-report-data';

start();

function start(): void {
  const host = document.getElementById('report')!;
  const block = document.getElementById(DATA_ID);
  let payload: ReportPayload;
  try {
    payload = JSON.parse(block?.textContent ?? '') as ReportPayload;
  } catch {
    host.textContent = 'This report’s data is missing or damaged.';
    return;
  }
  host.replaceChildren();
  const runs: DashboardRun[] = [];
  const events = new Map<string, RunEvent[]>();
  for (const r of payload.runs) {
    const all = reportEvents(r);
    events.set(r.summary.id, all);
    runs.push({ summary: r.summary, live: false, series: seriesOf(all), ...(r.recipeText !== undefined ? { recipeText: r.recipeText } : {}) });
  }
  const infos = payload.runs.map((r) => runInfo(r, events.get(r.summary.id) ?? [], payload.runs.length <= 2));
  host.append(header(payload));
  if (infos.length <= 2) host.append(...infos);
  else {
    // Many runs: the run table below lists them; each one's facts and recipe are a click away.
    const all = el('details', 'rp-runs');
    const sm = el('summary', 'rp-runs-title');
    sm.textContent = `Run details (${infos.length}): recipe, backend, versions, seed, hyper-parameters, CSV`;
    all.append(sm, ...infos);
    host.append(all);
  }
  const dash = el('div', 'rp-dashboard');
  host.append(dash);
  // Newest first, as the panel lists them; every run drawn, in the order given.
  const byStart = [...runs].sort((a, b) => b.summary.started.localeCompare(a.summary.started));
  mountDashboard(dash, { model: { runs: byStart }, view: { selected: runs.map((r) => r.summary.id), pinned: runs.map((r) => r.summary.id) }, layout: 'page' });
  requestAnimationFrame(() => {
    document.body.dataset['ready'] = String(Math.round(performance.now()));
  });
}

function header(p: ReportPayload): HTMLElement {
  const h = el('header', 'rp-header');
  const title = el('h1', 'rp-title');
  title.textContent = p.title;
  const sub = el('p', 'rp-sub');
  const n = p.runs.length;
  sub.textContent = `${n} run${n === 1 ? '' : 's'} · report made ${new Date(p.generated).toLocaleString()} by Minima ${p.minima}`;
  h.append(title, sub);
  return h;
}

/** One run's facts, its recipe folded, and its CSV. */
function runInfo(r: ReportRun, events: readonly RunEvent[], open: boolean): HTMLElement {
  const s = r.summary;
  const started = events.find((e): e is Extract<RunEvent, { type: 'started' }> => e.type === 'started');
  const box = el('details', 'rp-run');
  box.open = open;
  box.dataset['run'] = s.id;
  const summary = el('summary', 'rp-run-title');
  const name = el('span', 'rp-run-id');
  name.textContent = s.id;
  const status = el('span', `rp-status rp-status-${s.status}`);
  status.textContent = s.status;
  summary.append(name, status);
  box.append(summary);

  const facts: Array<[string, string, string?]> = [
    ['recipe', s.recipe || '—'],
    ['status', s.message ? `${s.status}: ${s.message}` : s.status],
    ['duration', s.seconds !== undefined ? formatSeconds(s.seconds) : '—'],
    ['steps', `${(s.steps ?? r.steps.recorded).toLocaleString()}${started && s.status !== 'finished' ? ` of ${(started.run.epochs * started.run.stepsPerEpoch).toLocaleString()} planned` : ''}`],
    ['backend', s.backend ? `${backendLabel(s.backend, s.adapter)}${s.threads ? ` · ${s.threads} thread${s.threads === 1 ? '' : 's'}` : ''}` : '—', s.adapter ? adapterDetail(s.adapter) : undefined],
    ['versions', s.versions ? Object.entries(s.versions).map(([k, v]) => `onnxruntime-${k} ${v}`).join(', ') : '—'],
    ['seed', started ? String(started.run.seed) : '—'],
    ['started', new Date(s.started).toLocaleString()],
    ['folder', r.folder],
  ];
  if (started) facts.splice(4, 0, ['data', `${started.run.trainExamples} train / ${started.run.valExamples} validation examples, ${started.run.epochs} epochs × ${started.run.stepsPerEpoch} steps`]);
  const dl = el('dl', 'rp-facts');
  for (const [k, v, tip] of facts) {
    const dt = el('dt', '');
    dt.textContent = k;
    const dd = el('dd', '');
    dd.textContent = v;
    if (tip) dd.title = tip;
    dl.append(dt, dd);
  }
  box.append(dl);

  const hyper = Object.entries(s.hyper ?? {});
  if (hyper.length > 0) {
    const t = el('table', 'rp-hyper');
    const cap = el('caption', '');
    cap.textContent = 'hyper-parameters';
    t.append(cap);
    for (const [k, v] of hyper) {
      const tr = el('tr', '');
      const th = el('th', '');
      th.textContent = k;
      const td = el('td', '');
      td.textContent = v;
      tr.append(th, td);
      t.append(tr);
    }
    box.append(t);
  }

  const actions = el('div', 'rp-actions');
  const csv = el('button', 'rp-button');
  csv.type = 'button';
  csv.textContent = `Download ${r.csv.name} (${r.csv.rows.toLocaleString()} rows)`;
  csv.onclick = () => void downloadCsv(r, csv);
  if (r.csv.rows > 0) actions.append(csv);
  if (r.csv.decimated) {
    const note = el('span', 'rp-note');
    const d = r.csv.decimated;
    note.textContent = `The CSV holds every ${d.every}th step (${r.csv.rows.toLocaleString()} of ${d.totalRows.toLocaleString()} rows, to keep this page small); the full record is ${r.folder}/metrics.jsonl.`;
    actions.append(note);
  }
  if (r.steps.recorded > 0 && Object.values(r.steps.metrics).some((m) => m.s.length < r.steps.recorded)) {
    const note = el('span', 'rp-note rp-muted');
    note.textContent = `Charts draw each metric's lowest and highest value in each of ${r.steps.buckets} buckets of its ${r.steps.recorded.toLocaleString()} steps.`;
    actions.append(note);
  }
  box.append(actions);

  if (r.recipeText !== undefined) {
    const rec = el('details', 'rp-recipe');
    const sm = el('summary', '');
    sm.textContent = 'recipe';
    const pre = el('pre', '');
    pre.textContent = r.recipeText;
    rec.append(sm, pre);
    box.append(rec);
  }
  return box;
}

/** The run's CSV, decompressed in the page (DecompressionStream), saved through a Blob link. */
async function downloadCsv(r: ReportRun, button: HTMLButtonElement): Promise<void> {
  try {
    const bytes = Uint8Array.from(atob(r.csv.gzipBase64), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    const blob = new Blob([await new Response(stream).arrayBuffer()], { type: 'text/csv' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${r.summary.id.replace(/[^\w.-]+/g, '_')}-${r.csv.name}`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  } catch (e) {
    button.textContent = `The CSV could not be unpacked in this browser (${e instanceof Error ? e.message : String(e)})`;
    button.disabled = true;
  }
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  return e;
}
