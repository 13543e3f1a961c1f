// The compression view: per ticked run that compressed anything, its notes (phases that did not
// run), a per-layer chart (sparsity and N:M conformance as bars, bits and rank, bytes before →
// after as a bar of the dense size) and the table. The bars are DOM elements sized through the
// CSSOM (allowed by the panel's CSP), so they are crisp, themed and measurable.

import { bytes, COMPRESSION_COLUMNS, compressionNotes, compressionRows, layerBars, sizeRatio, totals, type RunPhaseFacts } from '../compression-view';
import { colorOf, type RunColors } from '../run-colors';
import type { DashboardRun } from './model';

export function renderCompression(runs: readonly DashboardRun[], colors: RunColors, labels: ReadonlyMap<string, string>): HTMLElement {
  const root = document.createElement('div');
  root.className = 'mm-compression';
  root.id = 'compression';
  const compressed = runs.filter((r) => (r.summary.compression ?? []).length > 0);
  if (compressed.length === 0) {
    const e = document.createElement('div');
    e.className = 'mm-empty';
    e.textContent = runs.length === 0 ? 'Tick a run in the table to see what its compression did.' : 'None of the ticked runs compresses (no prune, lowrank or quantize block), or they have not finished.';
    root.append(e);
    return root;
  }
  for (const r of compressed) {
    const facts: RunPhaseFacts | undefined = r.series ? { phases: new Set(r.series.phases.map((p) => p.phase)), warnings: r.series.warnings, ...(r.series.stepsPerEpoch ? { stepsPerEpoch: r.series.stepsPerEpoch } : {}), lastStep: r.series.lastStep } : undefined;
    const section = document.createElement('section');
    section.className = 'mm-card mm-compression-run';
    section.dataset['run'] = r.summary.id;
    const t = totals(r.summary);
    const head = document.createElement('div');
    head.className = 'mm-card-head';
    const sw = document.createElement('span');
    sw.className = 'mm-swatch';
    sw.style.background = colorOf(colors, r.summary.id);
    const title = document.createElement('span');
    title.className = 'mm-card-title';
    title.textContent = `${labels.get(r.summary.id) ?? r.summary.id}: ${bytes(t.before)} → ${bytes(t.after)}, ${sizeRatio(t.before, t.after)}, ${(100 * t.sparsity).toFixed(1)}% zeros`;
    title.title = `${r.summary.id}\n${title.textContent}`;
    head.append(sw, title);
    section.append(head);
    for (const note of compressionNotes(r.summary, facts)) {
      const n = document.createElement('div');
      n.className = 'mm-note';
      n.textContent = note;
      section.append(n);
    }
    section.append(layerChart(r, colorOf(colors, r.summary.id)));
    section.append(table(r, labels));
    root.append(section);
  }
  return root;
}

function layerChart(r: DashboardRun, color: string): HTMLElement {
  const chart = document.createElement('div');
  chart.className = 'mm-layer-chart';
  const head = document.createElement('div');
  head.className = 'mm-layer-row mm-layer-head';
  for (const h of ['layer', 'sparsity', 'N:M conformance', 'bits · rank', 'bytes before → after']) head.append(cell(h));
  chart.append(head);
  const bars = layerBars([r.summary]);
  const largest = Math.max(1, ...bars.map((b) => b.bytesBefore));
  for (const b of bars) {
    const row = document.createElement('div');
    row.className = 'mm-layer-row';
    row.dataset['layer'] = b.layer;
    row.append(cell(b.layer), bar(b.sparsity, color, `${(100 * b.sparsity).toFixed(1)}%`), b.conformance === undefined ? cell('—', 'not N:M pruned') : bar(b.conformance, color, `${(100 * b.conformance).toFixed(1)}%`), cell(`${b.bits}-bit${b.rank !== undefined ? ` · rank ${b.rank}` : ''}`));
    const size = document.createElement('div');
    size.className = 'mm-bar mm-bytes';
    size.title = `${bytes(b.bytesBefore)} → ${bytes(b.bytesAfter)} (${sizeRatio(b.bytesBefore, b.bytesAfter)})`;
    const dense = document.createElement('div');
    dense.className = 'mm-bar-track';
    dense.style.width = `${(100 * b.bytesBefore) / largest}%`;
    const kept = document.createElement('div');
    kept.className = 'mm-bar-fill';
    kept.style.width = `${(100 * b.bytesAfter) / Math.max(1, b.bytesBefore)}%`;
    kept.style.background = color;
    dense.append(kept);
    const text = document.createElement('span');
    text.className = 'mm-bar-text';
    text.textContent = `${bytes(b.bytesBefore)} → ${bytes(b.bytesAfter)}`;
    size.append(dense, text);
    row.append(size);
    chart.append(row);
  }
  return chart;
}

function bar(fraction: number, color: string, text: string): HTMLElement {
  const b = document.createElement('div');
  b.className = 'mm-bar';
  b.title = text;
  const track = document.createElement('div');
  track.className = 'mm-bar-track';
  const fill = document.createElement('div');
  fill.className = 'mm-bar-fill';
  fill.style.width = `${Math.max(0, Math.min(1, fraction)) * 100}%`;
  fill.style.background = color;
  track.append(fill);
  const t = document.createElement('span');
  t.className = 'mm-bar-text';
  t.textContent = text;
  b.append(track, t);
  return b;
}

function cell(text: string, title = text): HTMLElement {
  const d = document.createElement('div');
  d.className = 'mm-cell';
  d.textContent = text;
  d.title = title;
  return d;
}

function table(r: DashboardRun, labels: ReadonlyMap<string, string>): HTMLElement {
  const t = document.createElement('table');
  t.className = 'mm-table';
  const rows = compressionRows([r.summary], labels);
  // Columns no layer fills (rank without a lowrank block, N:M without a pattern) are left out.
  const columns = COMPRESSION_COLUMNS.filter((c) => c !== 'run' && rows.some((row) => row.layer !== 'all' && row[c] !== ''));
  const colgroup = document.createElement('colgroup');
  for (const c of columns) {
    const col = document.createElement('col');
    if (c === 'bytes') col.className = 'mm-col-bytes';
    if (c === 'N:M') col.className = 'mm-col-nm';
    colgroup.append(col);
  }
  t.append(colgroup);
  const head = t.createTHead().insertRow();
  for (const c of columns) {
    const th = document.createElement('th');
    th.textContent = c;
    head.append(th);
  }
  const body = t.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    if (row.layer === 'all') tr.className = 'mm-total';
    for (const c of columns) {
      const td = tr.insertCell();
      td.textContent = td.title = row[c];
    }
  }
  return t;
}
