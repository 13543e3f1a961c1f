// @ts-check
// Stop under load, as a user sees it: the platform VSIX installed in a plain workbench (as in
// ui-mode.mjs), and another process keeping every core busy (cpu-burner.mjs). Ten times, long.minima
// is started from its `▶ Run` code lens, left to train for a few seconds with the results panel
// drawing it, and stopped: five times with the panel's Stop button, five times with
// `Minima: Stop Run` from the command palette. Each trial measures, from the click, when
//   - the run folder said so: summary.json written with status `cancelled` (its mtime),
//   - the panel said so: the run's row says `cancelled` and has no Stop button,
//   - the status bar said so: no `long N%` progress left, and `long cancelled` shown;
// the panel and status-bar times are taken inside the page by MutationObservers, so the slowness
// of the test driver itself (Playwright is starved of CPU too) is not counted. Every time must be
// at most 1 s ("Stop cancels within a second"). Prints `STRESS {...}` with every trial.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchBrowser, workbenchUrl } from './browser.mjs';
import { ARTIFACTS, ROOT } from './env.mjs';
import { startServer } from './server.mjs';
import { lens, open, palette, waitUntil } from './workbench.mjs';

const STOP_WITHIN_MS = 1000;
const TRIALS = /** @type {const} */ (['panel', 'panel', 'panel', 'panel', 'panel', 'palette', 'palette', 'palette', 'palette', 'palette']);
/** How long each run trains before it is stopped: long enough for the panel to hold tens of thousands of points. */
const TRAIN_MS = 3000;

/** @param {{ timeoutMs: number, vsix: string }} options */
export async function runStress(options) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const server = await startServer({ smokeTestDriver: false, vsix: options.vsix });
  const { browser, page } = await launchBrowser();
  const threads = os.availableParallelism();
  // Bounded on its own (it exits after its time even if this process dies), killed in `finally`.
  const burner = spawn(process.execPath, [path.join(ROOT, 'client', 'test-e2e', 'launcher', 'cpu-burner.mjs'), String(threads), String(Math.ceil(options.timeoutMs / 1000))], { stdio: 'ignore' });
  const steps = /** @type {string[]} */ ([]);
  const t0 = Date.now();
  const step = (s) => { steps.push(`${((Date.now() - t0) / 1000).toFixed(1)}s ${s}`); console.log(`[stress] ${steps.at(-1)}`); };
  page.setDefaultTimeout(Math.min(options.timeoutMs, 30_000));
  const trials = /** @type {Array<Record<string, unknown>>} */ ([]);
  try {
    await page.goto(workbenchUrl(server.port, server.ws));
    await page.locator('.monaco-workbench').waitFor();
    step(`workbench; ${threads} burner thread(s) keep every core busy`);
    await open(page, 'long.minima');
    await page.locator('.statusbar-item', { hasText: 'Minima' }).first().waitFor();
    const wv = page.frameLocator('iframe.webview').frameLocator('#active-frame');
    for (const [i, via] of TRIALS.entries()) {
      const before = runIds(server.ws);
      // The Stop button or the palette may have moved the focus to the panel's editor group.
      if (i > 0) await open(page, 'long.minima');
      await lens(page, '▶ Run').click();
      const id = await poll(() => runIds(server.ws).find((r) => !before.includes(r)), 30_000, 'the new run folder');
      const row = wv.locator(`#runs tr[data-run="${id}"]`);
      await row.locator('button', { hasText: 'Stop' }).waitFor({ timeout: 30_000 });
      await page.locator('.statusbar-item', { hasText: /long \d+%/ }).first().waitFor({ timeout: 30_000 });
      await page.waitForTimeout(TRAIN_MS);
      if (i === TRIALS.length - 1) await page.screenshot({ path: path.join(ARTIFACTS, 'stress-running.png') });
      await watchPanel(wv, id);
      await watchStatusBar(page);
      if (via === 'panel') await row.locator('button', { hasText: 'Stop' }).click();
      else await palette(page, '>Minima: Stop Run');
      const seen = await poll(async () => {
        const panel = await wv.locator('body').evaluate(() => /** @type {any} */ (window).minimaStop);
        const bar = await page.evaluate(() => /** @type {any} */ (window).minimaStop);
        const summary = readSummary(server.ws, id);
        return panel.cancelled && bar.cancelled && summary && summary.status !== 'running' ? { panel, bar, summary } : undefined;
      }, 15_000, `run ${id} to say cancelled in the panel and the status bar`).catch(async (e) => {
        const panel = await wv.locator('body').evaluate(() => /** @type {any} */ (window).minimaStop).catch(() => undefined);
        const bar = await page.evaluate(() => /** @type {any} */ (window).minimaStop).catch(() => undefined);
        throw new Error(`${e.message}: summary ${JSON.stringify(readSummary(server.ws, id))}, panel ${JSON.stringify(panel)}, status bar ${JSON.stringify(bar)}`);
      });
      // The click as the page received it: in the webview for the panel, in the workbench for the palette.
      const click = via === 'panel' ? seen.panel.click : seen.bar.click;
      const trial = {
        via,
        id,
        steps: stepCount(server.ws, id),
        folder: seen.summary.status,
        folderMs: Math.round(seen.summary.mtimeMs - click),
        panelMs: seen.panel.cancelled - click,
        statusBarMs: seen.bar.cancelled - click,
        progressGoneMs: seen.bar.gone - click,
      };
      trials.push(trial);
      step(`trial ${i + 1} (${via}): ${trial.steps} steps; cancelled in the folder after ${trial.folderMs} ms, in the panel ${trial.panelMs} ms, in the status bar ${trial.statusBarMs} ms`);
    }
    await page.screenshot({ path: path.join(ARTIFACTS, 'stress-stopped.png') });
    const late = trials.filter((t) => t.folder !== 'cancelled' || [t.folderMs, t.panelMs, t.statusBarMs].some((ms) => Number(ms) > STOP_WITHIN_MS));
    const max = (k) => Math.max(...trials.map((t) => Number(t[k])));
    console.log(`STRESS ${JSON.stringify({ maxFolderMs: max('folderMs'), maxPanelMs: max('panelMs'), maxStatusBarMs: max('statusBarMs'), trials })}`);
    if (late.length > 0) throw new Error(`${late.length} of ${trials.length} stops took longer than ${STOP_WITHIN_MS} ms or did not end cancelled: ${JSON.stringify(late)}`);
    step(`${trials.length} stops, each cancelled within ${STOP_WITHIN_MS} ms in the folder, the panel and the status bar`);
    return { code: 0, steps, root: server.root, log: server.log };
  } catch (e) {
    await page.screenshot({ path: path.join(ARTIFACTS, 'stress-failure.png') }).catch(() => undefined);
    const runs = path.join(server.ws, '.minima', 'runs');
    if (fs.existsSync(runs)) fs.cpSync(runs, path.join(ARTIFACTS, 'stress-failure-runs'), { recursive: true });
    console.error(`[stress] FAIL ${e instanceof Error ? e.stack ?? e.message : e}`);
    return { code: 1, steps, root: server.root, log: server.log };
  } finally {
    burner.kill('SIGKILL');
    await browser.close();
    await server.stop();
  }
}

/**
 * Records in the webview when the run's row first says `cancelled` without a Stop button, and
 * when the last click in the webview landed (the Stop button's).
 */
async function watchPanel(wv, id) {
  await wv.locator('body').evaluate((body, runId) => {
    const rec = { click: 0, cancelled: 0 };
    /** @type {any} */ (window).minimaStop = rec;
    document.addEventListener('click', () => (rec.click = Date.now()), { capture: true, once: true });
    const check = () => {
      const row = document.querySelector(`#runs tr[data-run="${CSS.escape(runId)}"]`);
      if (row?.querySelector('td[data-column="status"]')?.textContent === 'cancelled' && !row.querySelector('button')) {
        rec.cancelled = Date.now();
        observer.disconnect();
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(body, { subtree: true, childList: true, characterData: true });
  }, id);
}

/**
 * Records in the workbench when the status bar first shows no `long N%` progress, when it first
 * says `long cancelled` with no progress, and when the last click in the palette landed.
 */
async function watchStatusBar(page) {
  await page.evaluate(() => {
    const rec = { click: 0, gone: 0, cancelled: 0 };
    /** @type {any} */ (window).minimaStop = rec;
    document.addEventListener('click', (e) => {
      if (e.target instanceof Element && e.target.closest('.quick-input-widget')) rec.click = Date.now();
    }, { capture: true });
    const check = () => {
      const texts = [...document.querySelectorAll('.statusbar-item')].map((e) => e.textContent ?? '');
      const progress = texts.some((t) => /long \d+%/.test(t));
      if (!progress && !rec.gone) rec.gone = Date.now();
      if (!progress && !rec.cancelled && texts.some((t) => /long cancelled/.test(t))) {
        rec.cancelled = Date.now();
        observer.disconnect();
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(document.querySelector('.part.statusbar') ?? document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

function runsDir(ws) {
  return path.join(ws, '.minima', 'runs');
}

function runIds(ws) {
  const dir = runsDir(ws);
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, 'summary.json'))) : [];
}

/**
 * summary.json with its mtime (when it was last written), or undefined while it is not there; a
 * summary left `running` by a process that is gone (killed) reads `interrupted`, as the store says.
 */
function readSummary(ws, id) {
  const file = path.join(runsDir(ws), id, 'summary.json');
  try {
    const s = { ...JSON.parse(fs.readFileSync(file, 'utf8')), mtimeMs: fs.statSync(file).mtimeMs };
    return s.status === 'running' && !alive(s.pid) ? { ...s, status: 'interrupted' } : s;
  } catch {
    return undefined; // not there yet
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function stepCount(ws, id) {
  const file = path.join(runsDir(ws), id, 'metrics.jsonl');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('"type":"step"')).length : 0;
}

/** Polls `probe` until it returns a value other than undefined. */
async function poll(probe, timeoutMs, what) {
  const out = { value: undefined };
  await waitUntil(async () => (out.value = await probe()) !== undefined, timeoutMs, what);
  return out.value;
}
