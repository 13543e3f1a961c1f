// @ts-check
// The HTML report in headless Chromium (Debian's, driven over CDP by cdp.mjs), as people open it:
//   one run   `minima run examples/digits-sam.minima --report` (the example recipe: SAM, pruning,
//             quantization, sparsity and sharpness metrics);
//   compare   two runs of it with different learning rates, `minima report A B -o …`;
//   sweep     `minima sweep` of test-fixtures/sweep/digits-grid.minima, then `minima report <sweep folder>`;
//   long      20 synthetic run folders of 200,000 steps each: the file must stay under 3 MB and open
//             (data parsed, every chart drawn) in under 2 s.
// On each page: no console error or exception, one chart card per recorded metric (as the panel
// groups them: loss and val_loss share a card), every chart canvas of non-zero size and inside
// the viewport, no ink on a canvas's outermost pixels (an axis label cut at the edge), no
// horizontal scrolling. Screenshots: test-artifacts/e2e/report-one-run.png, report-compare.png.
// Prints `REPORT {...}` with the measurements.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openBrowser } from './cdp.mjs';
import { ARTIFACTS, CHROMIUM, ROOT } from './env.mjs';

const MAX_BYTES = 3 * 1024 * 1024;
const MAX_LOAD_MS = 2000;
const LONG_RUNS = 20;
const LONG_STEPS = 200_000;
const VIEWPORT = { width: 1400, height: 900 };

/** @param {{ timeoutMs: number }} options */
export async function runReport(options) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'minima-e2e-report-'));
  const log = path.join(root, 'report.log');
  const lines = /** @type {string[]} */ ([]);
  const t0 = Date.now();
  const say = (s) => { lines.push(`${((Date.now() - t0) / 1000).toFixed(1)}s ${s}`); console.log(`[report] ${lines.at(-1)}`); fs.writeFileSync(log, lines.join('\n') + '\n'); };
  const results = /** @type {Array<Record<string, unknown>>} */ ([]);
  say(`workspace ${root}`);
  if (!fs.existsSync(CHROMIUM)) return { code: 1, log, root, results: [{ error: `${CHROMIUM} is missing (setup.sh installs it)` }] };
  const deadline = setTimeout(() => { say(`timed out after ${options.timeoutMs} ms`); process.exit(124); }, options.timeoutMs);
  /** @type {Awaited<ReturnType<typeof openBrowser>> | undefined} */
  let browser;
  try {
    // The CLI and the page's bundle: what `npm install` / `npm run build` makes (CI has built them).
    if (!fs.existsSync(path.join(ROOT, 'out', 'report', 'report.js')) || !fs.existsSync(path.join(ROOT, 'out', 'runtime', 'cli', 'main.js'))) {
      say('building (npm run build)');
      sh('npm', ['run', 'build', '--silent'], ROOT);
    }
    const req = createRequire(path.join(ROOT, 'out', 'package.json'));
    const { seriesOf } = req(path.join(ROOT, 'out', 'client', 'webview', 'series.js'));
    const { cardOf } = req(path.join(ROOT, 'out', 'client', 'webview', 'metric-sections.js'));
    const { readEvents } = req(path.join(ROOT, 'out', 'runtime', 'engine', 'store.js'));
    /** The chart cards the panel draws for these run folders: one per metric, as it groups them. */
    const expectedCards = (dirs) => new Set(dirs.flatMap((d) => [...seriesOf(readEvents(d)).series.keys()].map(cardOf))).size;

    const ws = path.join(root, 'ws');
    fs.mkdirSync(ws);
    const recipe = fs.readFileSync(path.join(ROOT, 'test-fixtures', 'recipes', 'examples', 'digits-sam.minima'), 'utf8');
    fs.writeFileSync(path.join(ws, 'digits-sam.minima'), recipe);
    fs.writeFileSync(path.join(ws, 'digits-sam-fast.minima'), recipe.replace('recipe "digits-sam"', 'recipe "digits-sam-fast"').replace('lr: 1e-3', 'lr: 3e-3'));
    fs.copyFileSync(path.join(ROOT, 'test-fixtures', 'sweep', 'digits-grid.minima'), path.join(ws, 'digits-grid.minima'));
    browser = await openBrowser(VIEWPORT);

    // ---- one run: `minima run --report` ----
    minima(ws, ['run', 'digits-sam.minima', '--report', 'report-one-run.html']);
    const [one] = runFolders(path.join(ws, '.minima', 'runs'));
    say(`one run: ${path.basename(one)}`);
    const oneCards = expectedCards([one]);
    const oneRes = await check(browser, path.join(ws, 'report-one-run.html'), { cards: oneCards, runs: 1, titles: ['loss', 'accuracy', 'sparsity', 'sharpness'], compression: true }, say);
    await browser.screenshot(path.join(ARTIFACTS, 'report-one-run.png'));
    // Dark under `prefers-color-scheme: dark` (the page is reloaded: the charts take their colours when drawn).
    await browser.colorScheme(true);
    await browser.open(pathToFileURL(path.join(ws, 'report-one-run.html')).href);
    const darkBg = await browser.evaluate('getComputedStyle(document.body).backgroundColor');
    await browser.screenshot(path.join(ARTIFACTS, 'report-one-run-dark.png'));
    await browser.colorScheme(false);
    if (darkBg === 'rgb(246, 248, 250)') oneRes.problems.push(`the page is not dark under prefers-color-scheme: dark (${darkBg})`);
    fs.copyFileSync(path.join(ws, 'report-one-run.html'), path.join(ARTIFACTS, 'report-one-run.html'));
    // The CSV button saves the run's metrics, unpacked in the page: every row of metrics.jsonl's steps and epochs.
    const downloads = path.join(root, 'downloads');
    fs.mkdirSync(downloads);
    await browser.downloadsTo(downloads);
    await browser.evaluate(`document.querySelector('.rp-run .rp-button').click()`);
    const csvFile = await waitFor(() => fs.readdirSync(downloads).find((f) => f.endsWith('.csv')), 10_000);
    const csvLines = csvFile ? fs.readFileSync(path.join(downloads, csvFile), 'utf8').trim().split('\n') : [];
    const recorded = readEvents(one).filter((e) => e.type === 'step' || e.type === 'epoch').length;
    if (!csvFile) oneRes.problems.push('the CSV button saved no file');
    else if (csvLines.length - 1 !== recorded || !/^kind,epoch,step,time_s,/.test(csvLines[0] ?? '')) oneRes.problems.push(`${csvFile}: ${csvLines.length - 1} rows (${csvLines[0]}) for ${recorded} recorded`);
    results.push({ page: 'one-run', ...oneRes });

    // ---- two runs compared: `minima report A B` ----
    minima(ws, ['run', 'digits-sam-fast.minima']);
    const both = runFolders(path.join(ws, '.minima', 'runs'));
    minima(ws, ['report', ...both.map((d) => path.relative(ws, d)), '-o', 'report-compare.html']);
    const cmpRes = await check(browser, path.join(ws, 'report-compare.html'), { cards: expectedCards(both), runs: 2, titles: ['loss', 'sparsity'], compression: true, compare: true }, say);
    await browser.screenshot(path.join(ARTIFACTS, 'report-compare.png'));
    fs.copyFileSync(path.join(ws, 'report-compare.html'), path.join(ARTIFACTS, 'report-compare.html'));
    results.push({ page: 'compare', ...cmpRes });

    // ---- a sweep folder stands for its trials ----
    minima(ws, ['sweep', 'digits-grid.minima', '--parallel', '2']);
    const sweepsRoot = path.join(ws, '.minima', 'sweeps');
    const sweepDir = findSweep(sweepsRoot);
    const trialRuns = fs.readdirSync(sweepDir, { withFileTypes: true }).filter((e) => e.isDirectory()).flatMap((e) => runFolders(path.join(sweepDir, e.name)));
    minima(ws, ['report', path.relative(ws, sweepDir), '-o', 'report-sweep.html']);
    const swRes = await check(browser, path.join(ws, 'report-sweep.html'), { cards: expectedCards(trialRuns), runs: trialRuns.length, titles: ['loss'], compare: true }, say);
    results.push({ page: 'sweep', ...swRes });

    // ---- 20 runs of 200,000 steps ----
    const longRoot = path.join(ws, 'long');
    const gen0 = Date.now();
    const longDirs = writeLongRuns(longRoot, LONG_RUNS, LONG_STEPS);
    say(`wrote ${LONG_RUNS} run folders of ${LONG_STEPS} steps in ${((Date.now() - gen0) / 1000).toFixed(1)} s`);
    const cli0 = Date.now();
    minima(ws, ['report', 'long', '-o', 'report-long.html']);
    const cliSeconds = (Date.now() - cli0) / 1000;
    const bytes = fs.statSync(path.join(ws, 'report-long.html')).size;
    say(`long report: ${(bytes / 1024 / 1024).toFixed(2)} MB in ${cliSeconds.toFixed(1)} s`);
    const longRes = await check(browser, path.join(ws, 'report-long.html'), { cards: expectedCards(longDirs.slice(0, 1)), runs: LONG_RUNS, titles: ['loss', 'lr', 'grad_norm'], compare: true }, say);
    const csvNote = await browser.evaluate(`[...document.querySelectorAll('.rp-note')].map((n) => n.textContent).find((t) => /every \\d+th step/.test(t)) ?? ''`);
    // The embedded CSV unpacks in the page (DecompressionStream) to the rows it says it holds.
    const csvRows = await browser.evaluate(`(async () => {
      const data = JSON.parse(document.getElementById('minima-report-data').textContent);
      const r = data.runs[0];
      const bytes = Uint8Array.from(atob(r.csv.gzipBase64), (c) => c.charCodeAt(0));
      const text = await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
      return [text.trim().split('\\n').length - 1, r.csv.rows];
    })()`);
    await browser.screenshot(path.join(ARTIFACTS, 'report-long.png'));
    const longProblems = [...longRes.problems];
    if (bytes >= MAX_BYTES) longProblems.push(`the file is ${bytes} bytes, not under ${MAX_BYTES}`);
    if (longRes.loadMs >= MAX_LOAD_MS) longProblems.push(`it opened in ${longRes.loadMs} ms, not under ${MAX_LOAD_MS}`);
    if (!csvNote) longProblems.push('the page does not say that the CSV is decimated');
    if (csvRows[0] !== csvRows[1]) longProblems.push(`the CSV unpacks to ${csvRows[0]} rows, the page says ${csvRows[1]}`);
    results.push({ page: 'long', ...longRes, problems: longProblems, bytes, cliSeconds, csvRows: csvRows[0], csvNote });

    const failed = results.filter((r) => /** @type {string[]} */ (r.problems).length > 0);
    console.log(`REPORT ${JSON.stringify(results)}`);
    for (const r of failed) say(`${r.page}: ${/** @type {string[]} */ (r.problems).join('; ')}`);
    return { code: failed.length === 0 ? 0 : 1, log, root, results };
  } catch (e) {
    say(`error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    return { code: 1, log, root, results };
  } finally {
    clearTimeout(deadline);
    await browser?.close();
  }
}

/**
 * Opens a report and checks it as the file's header says.
 * @param {Awaited<ReturnType<typeof openBrowser>>} browser
 * @param {string} file
 * @param {{ cards: number, runs: number, titles: string[], compression?: boolean, compare?: boolean }} want
 * @param {(s: string) => void} say
 */
async function check(browser, file, want, say) {
  const loadMs = await browser.open(pathToFileURL(file).href);
  // Let the ResizeObserver's layout settle before measuring.
  await browser.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  const facts = await browser.evaluate(`(() => {
    const vw = window.innerWidth;
    const cards = [...document.querySelectorAll('#charts .mm-card')];
    const canvases = [...document.querySelectorAll('#charts .mm-card canvas')];
    const edgeInk = (c) => {
      // A label cut by the canvas's edge leaves ink in its outermost column or row.
      const ctx = c.getContext('2d');
      if (!ctx || c.width < 4 || c.height < 4) return 'no 2d context';
      const sides = { left: ctx.getImageData(0, 0, 1, c.height), right: ctx.getImageData(c.width - 1, 0, 1, c.height), bottom: ctx.getImageData(0, c.height - 1, c.width, 1) };
      for (const [side, img] of Object.entries(sides)) for (let i = 3; i < img.data.length; i += 4) if (img.data[i] > 64) return side;
      return '';
    };
    return {
      vw,
      scrollWidth: document.documentElement.scrollWidth,
      cards: cards.length,
      titles: cards.map((c) => c.querySelector('.mm-card-title')?.textContent ?? ''),
      canvases: canvases.map((c) => { const r = c.getBoundingClientRect(); return { w: r.width, h: r.height, left: r.left, right: r.right, ink: edgeInk(c) }; }),
      runRows: document.querySelectorAll('.mm-runs tbody tr').length,
      legend: document.querySelectorAll('#legend .mm-legend-item').length,
      info: document.querySelectorAll('.rp-run').length,
      compareShown: !!document.querySelector('#compare:not([hidden]) canvas'),
      compressionRows: document.querySelectorAll('#compression table tr').length,
      recipeFolded: [...document.querySelectorAll('.rp-recipe')].every((d) => !d.open) && document.querySelectorAll('.rp-recipe pre').length > 0,
      csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? '',
      remote: [...document.querySelectorAll('[src], link[href]')].map((e) => e.getAttribute('src') ?? e.getAttribute('href')).filter((u) => /^https?:/.test(u ?? '')),
    };
  })()`);
  const problems = /** @type {string[]} */ ([]);
  if (browser.errors.length > 0) problems.push(`console: ${browser.errors.join(' | ')}`);
  if (facts.cards !== want.cards) problems.push(`${facts.cards} charts for ${want.cards} recorded metrics (${facts.titles.join(', ')})`);
  for (const t of want.titles) if (!facts.titles.includes(t.replace(/_/g, ' '))) problems.push(`no "${t}" chart (${facts.titles.join(', ')})`);
  if (facts.canvases.length < facts.cards) problems.push(`${facts.canvases.length} canvases for ${facts.cards} charts`);
  facts.canvases.forEach((c, i) => {
    if (!(c.w > 0 && c.h > 0)) problems.push(`chart ${facts.titles[i]}: canvas ${c.w}×${c.h}`);
    if (c.left < 0 || c.right > facts.vw) problems.push(`chart ${facts.titles[i]}: canvas at ${c.left}…${c.right}, outside the ${facts.vw} px viewport`);
    if (c.ink) problems.push(`chart ${facts.titles[i]}: ink on the canvas's ${c.ink} edge (a cut label)`);
  });
  if (facts.scrollWidth > facts.vw) problems.push(`the page scrolls sideways (${facts.scrollWidth} > ${facts.vw})`);
  if (facts.runRows !== want.runs) problems.push(`run table: ${facts.runRows} rows for ${want.runs} runs`);
  if (facts.legend !== want.runs) problems.push(`legend: ${facts.legend} entries for ${want.runs} runs`);
  if (facts.info !== want.runs) problems.push(`run info: ${facts.info} for ${want.runs} runs`);
  if (want.compare && !facts.compareShown) problems.push('no compare view');
  if (want.compression && facts.compressionRows === 0) problems.push('no compression table');
  if (!facts.recipeFolded) problems.push('the recipe text is not there, folded');
  if (!/default-src 'none'/.test(facts.csp) || /unsafe-inline/.test(facts.csp)) problems.push(`CSP ${facts.csp}`);
  if (facts.remote.length > 0) problems.push(`remote content: ${facts.remote.join(', ')}`);
  say(`${path.basename(file)}: opened in ${loadMs} ms, ${facts.cards} charts, ${problems.length} problem(s)`);
  return { loadMs, charts: facts.cards, titles: facts.titles, problems };
}

/** @template T @param {() => T | undefined} probe @param {number} ms @returns {Promise<T | undefined>} */
async function waitFor(probe, ms) {
  const t0 = Date.now();
  for (;;) {
    const v = probe();
    if (v !== undefined || Date.now() - t0 > ms) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function minima(cwd, args) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'minima.js'), ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`minima ${args.join(' ')} exited ${r.status ?? r.signal}: ${r.stderr.slice(-2000)}`);
  return r.stdout;
}

function sh(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal})`);
}

/** The run folders under `dir`, oldest first. */
function runFolders(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, 'summary.json'))).map((e) => path.join(dir, e.name)).sort();
}

function findSweep(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name === 'sweep.json') return e.parentPath ?? e.path;
  }
  throw new Error(`no sweep.json under ${dir}`);
}

/**
 * `count` run folders of `steps` steps (loss, lr, grad_norm per step; loss, accuracy, val_loss,
 * val_accuracy per epoch of 2,000 steps; a pruning phase), written as the run store writes them.
 * NOTE: two metrics files are generated (about 23 MB each) and hard-linked into the folders, so
 * the test does not write half a gigabyte; each folder has its own summary (id, learning rate).
 */
function writeLongRuns(rootDir, count, steps) {
  fs.mkdirSync(rootDir, { recursive: true });
  const variants = [0, 1].map((v) => {
    const file = path.join(rootDir, `.metrics-${v}.jsonl`);
    const fd = fs.openSync(file, 'w');
    const spe = 2000;
    const t0 = Date.UTC(2026, 0, 1) + v * 1000;
    let seed = 12345 + v;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    fs.writeSync(fd, JSON.stringify({ type: 'started', time: t0, run: { id: `long-${v}`, recipe: 'long', backend: 'native', threads: 1, versions: { common: '1.30.0', node: '1.30.0' }, epochs: steps / spe, stepsPerEpoch: spe, trainExamples: 64000, valExamples: 8000, estimates: {}, seed: v, hyper: {} } }) + '\n');
    let chunk = [];
    for (let s = 1; s <= steps; s++) {
      const time = t0 + s * 3 + Math.floor(s / spe) * 400;
      const base = 2.3 * Math.exp(-s / (30_000 + v * 15_000)) + 0.05;
      chunk.push(JSON.stringify({ type: 'step', time, epoch: Math.floor((s - 1) / spe), step: s, metrics: { loss: base * (1 + 0.25 * (rand() - 0.5)) + (s === 123_457 ? 3 : 0), lr: 0.1 * 0.5 * (1 + Math.cos((Math.PI * s) / steps)), grad_norm: 1 + 0.5 * rand() + base } }));
      if (s % spe === 0) chunk.push(JSON.stringify({ type: 'epoch', time: time + 300, epoch: s / spe - 1, step: s, metrics: { loss: base, accuracy: 1 - base / 2.5, val_loss: base * 1.08, val_accuracy: 1 - (base * 1.08) / 2.5 } }));
      if (s === 60_000) chunk.push(JSON.stringify({ type: 'phase', time, epoch: 29, step: s, phase: 'pruning', detail: 'magnitude 50%' }));
      if (chunk.length >= 10_000) { fs.writeSync(fd, chunk.join('\n') + '\n'); chunk = []; }
    }
    if (chunk.length > 0) fs.writeSync(fd, chunk.join('\n') + '\n');
    fs.writeSync(fd, JSON.stringify({ type: 'finished', time: t0 + steps * 3 + 60_000, metrics: { loss: 0.06, val_accuracy: 0.97 }, seconds: steps * 0.003 + 40, steps }) + '\n');
    fs.closeSync(fd);
    return file;
  });
  const dirs = [];
  for (let i = 0; i < count; i++) {
    const id = `20260101-0000${String(i).padStart(2, '0')}-long`;
    const dir = path.join(rootDir, id);
    fs.mkdirSync(dir);
    fs.linkSync(variants[i % 2], path.join(dir, 'metrics.jsonl'));
    fs.writeFileSync(path.join(dir, 'recipe.minima'), `recipe "long" {\n  seed = ${i}\n}\n`);
    const lr = (0.01 * (1 + i)).toFixed(2);
    fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify({ id, recipe: 'long', status: 'finished', pid: 1, started: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), ended: new Date(Date.UTC(2026, 0, 1, 1)).toISOString(), seconds: steps * 0.003 + 40, steps, backend: 'native', threads: 1, versions: { common: '1.30.0', node: '1.30.0' }, hyper: { optimizer: `sgd(lr: ${lr})`, batch: String(32 * (1 + (i % 4))) }, final: { loss: 0.06 + i * 0.001, val_accuracy: 0.9 + i * 0.003 } }, null, 2));
    dirs.push(dir);
  }
  return dirs;
}
